/// Writes an H.264 RBSP bit by bit: fixed-width fields, Exp-Golomb codes, trailing bits.
struct BitWriter {
    private(set) var bytes: [UInt8] = []
    private var current: UInt8 = 0
    private var used = 0

    init(reservingCapacity capacity: Int = 64) {
        bytes.reserveCapacity(capacity)
    }

    /// True when the next bit starts a new byte.
    var isByteAligned: Bool { used == 0 }

    /// Writes the low `count` bits of `value`, most significant first (`count` ≤ 32).
    mutating func bits(_ value: UInt32, _ count: Int) {
        var index = count - 1
        while index >= 0 {
            bit((value >> UInt32(index)) & 1 == 1)
            index -= 1
        }
    }

    mutating func bit(_ set: Bool) {
        current = (current << 1) | (set ? 1 : 0)
        used += 1
        if used == 8 {
            bytes.append(current)
            current = 0
            used = 0
        }
    }

    /// ue(v): unsigned Exp-Golomb.
    mutating func unsigned(_ value: UInt32) {
        let coded = UInt64(value) + 1
        let length = 64 - coded.leadingZeroBitCount
        for _ in 0..<(length - 1) { bit(false) }
        var index = length - 1
        while index >= 0 {
            bit((coded >> UInt64(index)) & 1 == 1)
            index -= 1
        }
    }

    /// se(v): signed Exp-Golomb (k > 0 → 2k − 1, k ≤ 0 → −2k).
    mutating func signed(_ value: Int32) {
        let magnitude = UInt32(value.magnitude)
        unsigned(value > 0 ? 2 * magnitude - 1 : 2 * magnitude)
    }

    /// Zero bits up to the next byte boundary.
    mutating func alignWithZeros() {
        while !isByteAligned { bit(false) }
    }

    /// Whole bytes, starting at the next byte boundary.
    mutating func append(contentsOf data: some Collection<UInt8>) {
        alignWithZeros()
        bytes.append(contentsOf: data)
    }

    /// rbsp_trailing_bits: a stop bit, then zeros to the byte boundary; returns the RBSP.
    mutating func finish() -> [UInt8] {
        bit(true)
        alignWithZeros()
        return bytes
    }
}

/// NAL units in the forms MP4 needs: a header byte, emulation prevention, a 4-byte length prefix.
enum NALUnit {
    /// A NAL unit (header + escaped payload) without a length prefix, as `avcC` stores parameter sets.
    static func make(type: UInt8, referenceIDC: UInt8, rbsp: [UInt8]) -> [UInt8] {
        var unit: [UInt8] = [(referenceIDC & 3) << 5 | (type & 31)]
        unit.reserveCapacity(rbsp.count + rbsp.count / 64 + 8)
        var zeros = 0
        for byte in rbsp {
            if zeros >= 2, byte <= 3 {
                unit.append(3)
                zeros = 0
            }
            unit.append(byte)
            zeros = byte == 0 ? zeros + 1 : 0
        }
        return unit
    }

    /// `unit` with its 4-byte big-endian length in front, as an MP4 sample holds it.
    static func lengthPrefixed(_ unit: [UInt8]) -> [UInt8] {
        let count = UInt32(truncatingIfNeeded: unit.count)
        return [UInt8(count >> 24), UInt8(truncatingIfNeeded: count >> 16), UInt8(truncatingIfNeeded: count >> 8), UInt8(truncatingIfNeeded: count)]
            + unit
    }
}

/// Reads a RIFF/WAVE file's PCM into interleaved 16-bit samples, without decoding anything compressed.
enum WAVReader {
    static func read(_ bytes: [UInt8]) -> MP4Writer.Audio? {
        guard bytes.count >= 12, Array(bytes[0..<4]) == Array("RIFF".utf8), Array(bytes[8..<12]) == Array("WAVE".utf8) else { return nil }
        var offset = 12
        var format: (tag: Int, channels: Int, rate: Int, bits: Int)?
        while offset + 8 <= bytes.count {
            let id = String(decoding: bytes[offset..<(offset + 4)], as: UTF8.self)
            let size = Int(le32(bytes, offset + 4))
            let body = offset + 8
            let end = min(bytes.count, body + size)
            if id == "fmt ", end - body >= 16 {
                var tag = Int(le16(bytes, body))
                if tag == 0xFFFE, end - body >= 26 { tag = Int(le16(bytes, body + 24)) }  // WAVE_FORMAT_EXTENSIBLE: the sub-format
                format = (tag, Int(le16(bytes, body + 2)), Int(le32(bytes, body + 4)), Int(le16(bytes, body + 14)))
            } else if id == "data", let format {
                return convert(Array(bytes[body..<end]), format: format)
            }
            offset = body + size + (size & 1)
        }
        return nil
    }

    private static func convert(_ data: [UInt8], format: (tag: Int, channels: Int, rate: Int, bits: Int)) -> MP4Writer.Audio? {
        guard (1...8).contains(format.channels), (1...65_535).contains(format.rate) else { return nil }
        let width = format.bits / 8
        guard [1, 2, 3, 4].contains(width), format.bits % 8 == 0 else { return nil }
        let isFloat = format.tag == 3
        guard format.tag == 1 || (isFloat && width == 4) else { return nil }
        let count = data.count / width
        var samples = [Int16](repeating: 0, count: count)
        for index in 0..<count {
            let at = index * width
            switch (width, isFloat) {
            case (1, _):
                samples[index] = Int16((Int(data[at]) - 128) << 8)
            case (2, _):
                samples[index] = Int16(bitPattern: le16(data, at))
            case (3, _):
                samples[index] = Int16(bitPattern: UInt16(data[at + 1]) | UInt16(data[at + 2]) << 8)
            case (4, false):
                samples[index] = Int16(bitPattern: UInt16(truncatingIfNeeded: le32(data, at) >> 16))
            default:
                let value = Float(bitPattern: le32(data, at))
                let clipped = value.isFinite ? max(-1, min(1, value)) : 0
                samples[index] = Int16((clipped * 32_767).rounded())
            }
        }
        let frames = count / format.channels
        return .pcm(samples: Array(samples.prefix(frames * format.channels)), channels: format.channels, sampleRate: format.rate)
    }

    static func le16(_ bytes: [UInt8], _ at: Int) -> UInt16 {
        guard at + 1 < bytes.count else { return 0 }
        return UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    static func le32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        guard at + 3 < bytes.count else { return 0 }
        return UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }
}

/// Splits an MP3 file into its Layer III frames (skipping ID3 tags) so they can be carried into an MP4 as they are.
enum MP3FrameReader {
    private static let bitratesV1 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320]
    private static let bitratesV2 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160]

    static func read(_ bytes: [UInt8]) -> MP4Writer.Audio? {
        var offset = 0
        if bytes.count >= 10, Array(bytes[0..<3]) == Array("ID3".utf8) {
            let size = bytes[6..<10].reduce(0) { ($0 << 7) | (Int($1) & 0x7F) }
            offset = 10 + size + (bytes[5] & 0x10 != 0 ? 10 : 0)
        }
        var frames: [[UInt8]] = []
        var shape: (samples: Int, channels: Int, rate: Int)?
        while offset + 4 <= bytes.count {
            guard bytes[offset] == 0xFF, bytes[offset + 1] & 0xE0 == 0xE0 else { break }
            let version = (bytes[offset + 1] >> 3) & 3  // 0: 2.5, 2: 2, 3: 1
            let layer = (bytes[offset + 1] >> 1) & 3  // 1: Layer III
            let bitrateIndex = Int(bytes[offset + 2] >> 4)
            let rateIndex = Int((bytes[offset + 2] >> 2) & 3)
            let padding = Int((bytes[offset + 2] >> 1) & 1)
            let mono = (bytes[offset + 3] >> 6) == 3
            guard version != 1, layer == 1, (1...14).contains(bitrateIndex), rateIndex < 3 else { break }
            let rates = version == 3 ? [44_100, 48_000, 32_000] : version == 2 ? [22_050, 24_000, 16_000] : [11_025, 12_000, 8_000]
            let rate = rates[rateIndex]
            let bitrate = (version == 3 ? bitratesV1 : bitratesV2)[bitrateIndex] * 1000
            let samples = version == 3 ? 1152 : 576
            let length = samples / 8 * bitrate / rate + padding
            guard length > 4, offset + length <= bytes.count else { break }
            if let shape, shape.samples != samples || shape.channels != (mono ? 1 : 2) || shape.rate != rate { break }
            shape = (samples, mono ? 1 : 2, rate)
            frames.append(Array(bytes[offset..<(offset + length)]))
            offset += length
        }
        guard let shape, frames.count >= 2 else { return nil }
        return .mp3(frames: frames, samplesPerFrame: shape.samples, channels: shape.channels, sampleRate: shape.rate)
    }
}

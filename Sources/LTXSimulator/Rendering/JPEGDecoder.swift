import Foundation

/// Decodes sequential (baseline or extended, Huffman, 8-bit) JPEG into full-size component planes, written from the
/// JPEG standard (ITU T.81). Enough for the JPEGs LTXMedia's preflight writes; progressive and arithmetic-coded files
/// are refused (nil), never guessed at.
struct JPEGDecoder {
    /// One decoded picture: its components upsampled to the full size, 8-bit, full range.
    struct Picture: Sendable {
        let width: Int
        let height: Int
        /// Y, Cb, Cr planes (one plane for greyscale), each `width × height`.
        let planes: [[UInt8]]
    }

    private struct HuffmanTable {
        var maxCode = [Int](repeating: -1, count: 18)
        var valueOffset = [Int](repeating: 0, count: 17)
        var values: [UInt8] = []

        init?(counts: [UInt8], values: [UInt8]) {
            guard counts.count == 16 else { return nil }
            self.values = values
            var code = 0
            var index = 0
            for length in 1...16 {
                let count = Int(counts[length - 1])
                valueOffset[length] = index - code
                code += count
                index += count
                maxCode[length] = count > 0 ? code - 1 : -1
                code <<= 1
            }
            maxCode[17] = Int.max
            guard index <= values.count else { return nil }
        }
    }

    private struct Component {
        let id: UInt8
        let h: Int
        let v: Int
        let quantTable: Int
        var dcTable = 0
        var acTable = 0
        var blocksPerLine = 0
        var blocksPerColumn = 0
        var samples: [UInt8] = []
        var predictor = 0
    }

    /// Reads the entropy-coded segment bit by bit, removing stuffed zero bytes; stops at a marker.
    private struct BitReader {
        let bytes: [UInt8]
        var position: Int
        var buffer = 0
        var count = 0
        var hitMarker = false

        mutating func bit() -> Int {
            if count == 0 {
                var byte = 0
                if !hitMarker, position < bytes.count {
                    let value = bytes[position]
                    if value == 0xFF {
                        let next = position + 1 < bytes.count ? bytes[position + 1] : 0xD9
                        if next == 0 {
                            byte = 0xFF
                            position += 2
                        } else {
                            hitMarker = true
                        }
                    } else {
                        byte = Int(value)
                        position += 1
                    }
                }
                buffer = byte
                count = 8
            }
            count -= 1
            return (buffer >> count) & 1
        }

        mutating func bits(_ n: Int) -> Int {
            var value = 0
            for _ in 0..<n { value = (value << 1) | bit() }
            return value
        }

        /// Skips to the next marker (a restart): drops the partial byte and the marker's two bytes.
        mutating func restart() {
            count = 0
            hitMarker = false
            while position + 1 < bytes.count, !(bytes[position] == 0xFF && (0xD0...0xD7).contains(bytes[position + 1])) {
                position += 1
            }
            position += 2
        }
    }

    private static let zigzag: [Int] = [
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
        35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
    ]

    /// cos((2x + 1)uπ/16) · C(u) / 2, indexed [x * 8 + u].
    private static let basis: [Double] = (0..<64).map { index in
        let x = index / 8, u = index % 8
        let scale = u == 0 ? 1 / 2.0.squareRoot() : 1
        return scale * cos(Double(2 * x + 1) * Double(u) * Double.pi / 16) / 2
    }

    /// Decodes `bytes`, or nil when they are not a sequential Huffman JPEG this decoder reads.
    static func decode(_ bytes: [UInt8]) -> Picture? {
        guard bytes.count > 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return nil }
        var quant = [[Int]](repeating: [Int](repeating: 1, count: 64), count: 4)
        var dcTables = [HuffmanTable?](repeating: nil, count: 4)
        var acTables = [HuffmanTable?](repeating: nil, count: 4)
        var components: [Component] = []
        var width = 0, height = 0, restartInterval = 0
        var offset = 2
        var scanned = false
        while offset + 4 <= bytes.count {
            guard bytes[offset] == 0xFF else { return nil }
            let marker = bytes[offset + 1]
            if marker == 0xFF { offset += 1; continue }
            if marker == 0xD9 { break }
            let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            let body = offset + 4
            let end = offset + 2 + length
            guard length >= 2, end <= bytes.count else { return nil }
            switch marker {
            case 0xDB:  // DQT
                var at = body
                while at < end {
                    let precision = Int(bytes[at] >> 4), id = Int(bytes[at] & 15)
                    guard id < 4 else { return nil }
                    at += 1
                    for k in 0..<64 {
                        if precision == 0 {
                            guard at < end else { return nil }
                            quant[id][k] = Int(bytes[at]); at += 1
                        } else {
                            guard at + 1 < end else { return nil }
                            quant[id][k] = Int(bytes[at]) << 8 | Int(bytes[at + 1]); at += 2
                        }
                    }
                }
            case 0xC4:  // DHT
                var at = body
                while at + 17 <= end {
                    let tableClass = Int(bytes[at] >> 4), id = Int(bytes[at] & 15)
                    guard id < 4 else { return nil }
                    let counts = Array(bytes[(at + 1)..<(at + 17)])
                    let total = counts.reduce(0) { $0 + Int($1) }
                    guard at + 17 + total <= end, let table = HuffmanTable(counts: counts, values: Array(bytes[(at + 17)..<(at + 17 + total)])) else {
                        return nil
                    }
                    if tableClass == 0 { dcTables[id] = table } else { acTables[id] = table }
                    at += 17 + total
                }
            case 0xDD:  // DRI
                guard end - body >= 2 else { return nil }
                restartInterval = Int(bytes[body]) << 8 | Int(bytes[body + 1])
            case 0xC0, 0xC1:  // SOF0, SOF1
                guard end - body >= 6, bytes[body] == 8, components.isEmpty else { return nil }
                height = Int(bytes[body + 1]) << 8 | Int(bytes[body + 2])
                width = Int(bytes[body + 3]) << 8 | Int(bytes[body + 4])
                let count = Int(bytes[body + 5])
                guard width > 0, height > 0, width * height <= 100_000_000, count == 1 || count == 3, body + 6 + count * 3 <= end else { return nil }
                for index in 0..<count {
                    let at = body + 6 + index * 3
                    let h = Int(bytes[at + 1] >> 4), v = Int(bytes[at + 1] & 15)
                    guard (1...4).contains(h), (1...4).contains(v), bytes[at + 2] < 4 else { return nil }
                    components.append(Component(id: bytes[at], h: h, v: v, quantTable: Int(bytes[at + 2])))
                }
            case 0xC2, 0xC3, 0xC5...0xC7, 0xC9...0xCB, 0xCD...0xCF:
                return nil  // progressive, lossless, hierarchical or arithmetic-coded
            case 0xDA:  // SOS
                guard !components.isEmpty, end > body else { return nil }
                let count = Int(bytes[body])
                guard count >= 1, body + 1 + count * 2 <= end else { return nil }
                var scan: [Int] = []
                for index in 0..<count {
                    let at = body + 1 + index * 2
                    guard let which = components.firstIndex(where: { $0.id == bytes[at] }) else { return nil }
                    components[which].dcTable = Int(bytes[at + 1] >> 4) & 3
                    components[which].acTable = Int(bytes[at + 1] & 15) & 3
                    scan.append(which)
                }
                guard let next = decodeScan(
                    bytes, from: end, components: &components, scan: scan, width: width, height: height, quant: quant,
                    dcTables: dcTables, acTables: acTables, restartInterval: restartInterval)
                else { return nil }
                scanned = true
                offset = next
                continue
            default:
                break
            }
            offset = end
        }
        guard scanned else { return nil }
        let hMax = components.map(\.h).max() ?? 1
        let vMax = components.map(\.v).max() ?? 1
        let planes = components.map { component -> [UInt8] in
            var plane = [UInt8](repeating: 0, count: width * height)
            let stride = component.blocksPerLine * 8
            let columns = (0..<width).map { min($0 * component.h / hMax, stride - 1) }
            component.samples.withUnsafeBufferPointer { samples in
                plane.withUnsafeMutableBufferPointer { plane in
                    for y in 0..<height {
                        let sourceRow = min(y * component.v / vMax, component.blocksPerColumn * 8 - 1) * stride
                        for x in 0..<width { plane[y * width + x] = samples[sourceRow + columns[x]] }
                    }
                }
            }
            return plane
        }
        return Picture(width: width, height: height, planes: planes)
    }

    /// Decodes one scan starting at `start`; returns the offset of the marker after it.
    private static func decodeScan(
        _ bytes: [UInt8], from start: Int, components: inout [Component], scan: [Int], width: Int, height: Int,
        quant: [[Int]], dcTables: [HuffmanTable?], acTables: [HuffmanTable?], restartInterval: Int
    ) -> Int? {
        let hMax = components.map(\.h).max() ?? 1
        let vMax = components.map(\.v).max() ?? 1
        let mcusPerLine = (width + 8 * hMax - 1) / (8 * hMax)
        let mcusPerColumn = (height + 8 * vMax - 1) / (8 * vMax)
        for index in components.indices where components[index].samples.isEmpty {
            components[index].blocksPerLine = mcusPerLine * components[index].h
            components[index].blocksPerColumn = mcusPerColumn * components[index].v
            components[index].samples = [UInt8](repeating: 0, count: components[index].blocksPerLine * components[index].blocksPerColumn * 64)
        }
        for index in scan { components[index].predictor = 0 }
        var reader = BitReader(bytes: bytes, position: start)
        var coefficients = [Int](repeating: 0, count: 64)
        var rows = [Double](repeating: 0, count: 64)

        func decodeSymbol(_ table: HuffmanTable) -> Int? {
            var code = 0
            for length in 1...16 {
                code = (code << 1) | reader.bit()
                if code <= table.maxCode[length] {
                    let index = table.valueOffset[length] + code
                    return index >= 0 && index < table.values.count ? Int(table.values[index]) : nil
                }
            }
            return nil
        }
        func extend(_ value: Int, _ size: Int) -> Int {
            size == 0 ? 0 : (value < 1 << (size - 1) ? value - (1 << size) + 1 : value)
        }
        func decodeBlock(_ componentIndex: Int, blockX: Int, blockY: Int) -> Bool {
            // Scalars only: a copy of the component would share its sample buffer and make every write below copy it.
            let (dcIndex, acIndex, quantIndex) = (components[componentIndex].dcTable, components[componentIndex].acTable, components[componentIndex].quantTable)
            let previous = components[componentIndex].predictor
            let stride = components[componentIndex].blocksPerLine * 8
            guard let dcTable = dcTables[dcIndex], let acTable = acTables[acIndex] else { return false }
            let table = quant[quantIndex]
            for k in 0..<64 { coefficients[k] = 0 }
            guard let dcSize = decodeSymbol(dcTable), dcSize <= 11 else { return false }
            let predictor = previous + extend(reader.bits(dcSize), dcSize)
            components[componentIndex].predictor = predictor
            coefficients[0] = predictor * table[0]
            var k = 1
            var onlyDC = true
            while k < 64 {
                guard let symbol = decodeSymbol(acTable) else { return false }
                let run = symbol >> 4, size = symbol & 15
                if size == 0 {
                    if run == 15 { k += 16; continue }
                    break
                }
                k += run
                guard k < 64 else { return false }
                coefficients[zigzag[k]] = extend(reader.bits(size), size) * table[k]
                onlyDC = false
                k += 1
            }
            let origin = blockY * 8 * stride + blockX * 8
            if onlyDC {
                // A flat block: every sample is the DC term's mean.
                let value = UInt8(max(0, min(255, Int((128 + Double(coefficients[0]) / 8).rounded()))))
                components[componentIndex].samples.withUnsafeMutableBufferPointer { plane in
                    for y in 0..<8 {
                        for x in 0..<8 { plane[origin + y * stride + x] = value }
                    }
                }
                return true
            }
            // Separable inverse DCT, then level shift and clamp into the plane.
            coefficients.withUnsafeBufferPointer { input in
                basis.withUnsafeBufferPointer { cosines in
                    rows.withUnsafeMutableBufferPointer { rows in
                        for y in 0..<8 {
                            for x in 0..<8 {
                                var sum = 0.0
                                for u in 0..<8 where input[y * 8 + u] != 0 { sum += cosines[x * 8 + u] * Double(input[y * 8 + u]) }
                                rows[y * 8 + x] = sum
                            }
                        }
                        components[componentIndex].samples.withUnsafeMutableBufferPointer { plane in
                            for x in 0..<8 {
                                for y in 0..<8 {
                                    var sum = 128.0
                                    for v in 0..<8 { sum += cosines[y * 8 + v] * rows[v * 8 + x] }
                                    plane[origin + y * stride + x] = UInt8(max(0, min(255, Int(sum.rounded()))))
                                }
                            }
                        }
                    }
                }
            }
            return true
        }

        var decoded = 0
        if scan.count == 1 {
            let index = scan[0]
            let (h, v) = (components[index].h, components[index].v)
            let blocksWide = ((width * h + hMax - 1) / hMax + 7) / 8
            let blocksHigh = ((height * v + vMax - 1) / vMax + 7) / 8
            for blockY in 0..<blocksHigh {
                for blockX in 0..<blocksWide {
                    if restartInterval > 0, decoded > 0, decoded % restartInterval == 0 {
                        reader.restart()
                        components[index].predictor = 0
                    }
                    guard decodeBlock(index, blockX: blockX, blockY: blockY) else { return nil }
                    decoded += 1
                }
            }
        } else {
            for mcuY in 0..<mcusPerColumn {
                for mcuX in 0..<mcusPerLine {
                    if restartInterval > 0, decoded > 0, decoded % restartInterval == 0 {
                        reader.restart()
                        for index in scan { components[index].predictor = 0 }
                    }
                    for index in scan {
                        let (blocksH, blocksV) = (components[index].h, components[index].v)
                        for v in 0..<blocksV {
                            for h in 0..<blocksH {
                                guard decodeBlock(index, blockX: mcuX * blocksH + h, blockY: mcuY * blocksV + v) else { return nil }
                            }
                        }
                    }
                    decoded += 1
                }
            }
        }
        // Find the marker that ends the scan.
        var position = reader.position
        while position + 1 < bytes.count, !(bytes[position] == 0xFF && bytes[position + 1] != 0 && !(0xD0...0xD7).contains(bytes[position + 1])) {
            position += 1
        }
        return position
    }
}

import CFFmpeg

/// An exact frame or sample rate, such as 25/1 or 30000/1001, always stored reduced.
public struct Rational: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Numerator.
    public let numerator: Int
    /// Denominator (positive).
    public let denominator: Int

    /// Creates a reduced rational; a zero denominator yields 0/1.
    public init(_ numerator: Int, _ denominator: Int) {
        guard denominator != 0 else { self.numerator = 0; self.denominator = 1; return }
        let sign = denominator < 0 ? -1 : 1
        let divisor = Rational.gcd(abs(numerator), abs(denominator))
        self.numerator = sign * numerator / max(divisor, 1)
        self.denominator = sign * denominator / max(divisor, 1)
    }

    init?(_ value: AVRational) {
        guard value.num > 0, value.den > 0 else { return nil }
        self.init(Int(value.num), Int(value.den))
    }

    /// The value as a Double.
    public var value: Double { Double(numerator) / Double(denominator) }

    /// `num/den`, e.g. `25/1`.
    public var description: String { "\(numerator)/\(denominator)" }

    /// Parses `25`, `25/1`, `30000/1001` or `29.97` (the last only when it is exact in decimal).
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 2, let n = Int(parts[0]), let d = Int(parts[1]), d > 0, n >= 0 {
            self.init(n, d); return
        }
        if parts.count == 1 {
            if let n = Int(text), n >= 0 { self.init(n, 1); return }
            let pieces = text.split(separator: ".")
            if pieces.count == 2, let whole = Int(pieces[0]), let fraction = Int(pieces[1]), whole >= 0, fraction >= 0, pieces[1].count <= 6 {
                var scale = 1
                for _ in 0..<pieces[1].count { scale *= 10 }
                self.init(whole * scale + fraction, scale); return
            }
        }
        return nil
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let parsed = Rational(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a rational: \(text)"))
        }
        self = parsed
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int {
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return x
    }
}

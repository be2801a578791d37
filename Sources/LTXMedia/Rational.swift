/// An exact frame or sample rate, such as 25/1 or 30000/1001, always stored reduced.
public struct Rational: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Numerator.
    public let numerator: Int
    /// Denominator (positive).
    public let denominator: Int

    /// Creates a reduced rational; a zero denominator yields 0/1. A sign moved to the numerator never
    /// traps: `Int.min`, whose negation does not fit an Int, becomes `Int.max`.
    public init(_ numerator: Int, _ denominator: Int) {
        guard denominator != 0 else { self.numerator = 0; self.denominator = 1; return }
        let divisor = max(Int(clamping: Rational.gcd(numerator.magnitude, denominator.magnitude)), 1)
        var (n, d) = (numerator / divisor, denominator / divisor)
        if d < 0 { (n, d) = (n == .min ? .max : -n, d == .min ? .max : -d) }
        self.numerator = n
        self.denominator = d
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
                guard let shifted = CheckedArithmetic.product(whole, scale) else { return nil }
                let (sum, overflow) = shifted.addingReportingOverflow(fraction)
                guard !overflow else { return nil }
                self.init(sum, scale); return
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

    private static func gcd(_ a: UInt, _ b: UInt) -> UInt {
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return x
    }
}

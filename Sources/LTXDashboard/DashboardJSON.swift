import Foundation

/// The JSON conventions of the dashboard's answers: sorted keys, no escaped slashes, times in ISO 8601 UTC.
enum DashboardJSON {
    /// `value` encoded.
    static func data<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(value)
    }

    /// `2026-11-26T15:20:00Z`.
    static func time(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    /// USD to a ten-thousandth: sums of many doubles carry noise in their last digits (0.30000000000000004).
    static func money(_ amount: Double) -> Double { (amount * 10_000).rounded() / 10_000 }

    /// Seconds to a tenth, so the JSON does not carry clock noise.
    static func rounded(_ seconds: Double) -> Double { (seconds * 10).rounded() / 10 }
}

import ArgumentParser
import Foundation

/// `--since 7d|24h|30m|YYYY-MM-DD|ISO-8601`: the earliest time a listing includes.
struct SinceFilter: ExpressibleByArgument {
    /// The cutoff.
    let date: Date

    init?(argument: String) {
        self.init(argument, now: Date())
    }

    init?(_ text: String, now: Date) {
        let units: [Character: Double] = ["m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        if let unit = text.last.flatMap({ units[$0] }), let count = Double(text.dropLast()), count >= 0, count.isFinite, count < 1e7 {
            date = now.addingTimeInterval(-count * unit)
            return
        }
        let day = DateFormatter()
        day.locale = Locale(identifier: "en_US_POSIX")
        day.timeZone = TimeZone(identifier: "UTC")
        day.dateFormat = "yyyy-MM-dd"
        if let parsed = day.date(from: text) {
            date = parsed
            return
        }
        if let parsed = ISO8601DateFormatter().date(from: text) {
            date = parsed
            return
        }
        return nil
    }

    static var defaultValueDescription: String { "7d, 24h, 30m, 2w, YYYY-MM-DD (UTC) or an ISO 8601 time" }
}

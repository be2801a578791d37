/// Arithmetic on numbers that come from files, headers or requests, where a trap would stop the pipeline.
enum CheckedArithmetic {
    /// `a × b`, or nil when it does not fit an Int.
    static func product(_ a: Int, _ b: Int) -> Int? {
        let (value, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? nil : value
    }

    /// `a + b`, or nil when it does not fit an Int64.
    static func sum(_ a: Int64, _ b: Int64) -> Int64? {
        let (value, overflow) = a.addingReportingOverflow(b)
        return overflow ? nil : value
    }

    /// `a − b`, or nil when it does not fit an Int64.
    static func difference(_ a: Int64, _ b: Int64) -> Int64? {
        let (value, overflow) = a.subtractingReportingOverflow(b)
        return overflow ? nil : value
    }

    /// `value` truncated toward zero, or nil when it is NaN, infinite or outside Int's range.
    static func integer(_ value: Double) -> Int? {
        guard value.isFinite, value > -9.2e18, value < 9.2e18 else { return nil }
        return Int(value)
    }
}

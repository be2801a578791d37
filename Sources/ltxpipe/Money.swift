import Foundation

/// Amounts in USD as the listings print them.
enum Money {
    /// `$1.23`.
    static func text(_ amount: Double) -> String { String(format: "$%.2f", amount) }
}

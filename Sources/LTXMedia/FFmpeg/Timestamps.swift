import CFFmpeg

/// Timestamp arithmetic FFmpeg does exactly (no overflow, no rounding surprises).
enum Timestamps {
    /// -1, 0 or 1 as `a` (in units of `aBase`) is before, at or after `b` (in units of `bBase`).
    static func compare(_ a: Int64, _ aBase: Rational, _ b: Int64, _ bBase: Rational) -> Int {
        Int(av_compare_ts(a, aBase.avRational, b, bBase.avRational))
    }

    /// `value` in units of `from` expressed in units of `to`, rounded to the nearest.
    static func rescale(_ value: Int64, from: Rational, to: Rational) -> Int64 {
        av_rescale_q(value, from.avRational, to.avRational)
    }
}

extension Rational {
    /// A positive AVRational as a Rational; nil for 0/x, x/0 and negative values (FFmpeg's "unknown").
    init?(_ value: AVRational) {
        guard value.num > 0, value.den > 0 else { return nil }
        self.init(Int(value.num), Int(value.den))
    }


    /// The rate as FFmpeg's AVRational (parts clamped to Int32).
    var avRational: AVRational { AVRational(num: Int32(clamping: numerator), den: Int32(clamping: denominator)) }
}

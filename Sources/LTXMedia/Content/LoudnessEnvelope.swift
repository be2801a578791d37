import Foundation

/// How loud a soundtrack is over time: the mean square of its mono mix per short window.
public struct LoudnessEnvelope: Sendable, Equatable {
    /// Length of one window in seconds.
    public var windowSeconds: Double
    /// Mean square sample value (full scale 1.0) of each window, in order.
    public var meanSquares: [Float]
    /// Length of the decoded audio in seconds.
    public var seconds: Double
    /// Mean square over the whole track.
    public var meanSquare: Double

    /// An envelope from its windows.
    public init(windowSeconds: Double, meanSquares: [Float], seconds: Double, meanSquare: Double) {
        self.windowSeconds = windowSeconds
        self.meanSquares = meanSquares
        self.seconds = seconds
        self.meanSquare = meanSquare
    }

    /// RMS level of the whole track in dBFS (a full-scale sine is −3); nil when every sample is zero.
    public var rmsDBFS: Double? {
        guard meanSquare > 0, meanSquare.isFinite else { return nil }
        return 10 * log10(meanSquare)
    }

    /// Each window's level in dB, floored at −90, without the first and last window when there are more
    /// than four (codec delay and a partial window make the edges quieter than the sound).
    var levels: [Double] {
        let all = meanSquares.map { max(-90, 10 * log10(max(Double($0), 1e-9))) }
        return all.count > 4 ? Array(all.dropFirst().dropLast()) : all
    }

    /// Level differences within a track smaller than this (dB, standard deviation) make it "flat": a steady
    /// tone whose envelope says nothing about which recording it is.
    public static let flatSpread = 0.5

    /// True when the envelope barely moves (see `flatSpread`).
    public var isFlat: Bool { Self.deviation(levels) < Self.flatSpread }

    /// Pearson correlation of the two envelopes' levels over the windows they share, at the best shift of up
    /// to `maxShift` windows either way (codec delay). Nil when either envelope is flat or
    /// they share fewer than 4 windows.
    public func correlation(with other: LoudnessEnvelope, maxShift: Int = 2) -> Double? {
        let a = levels, b = other.levels
        guard !isFlat, !other.isFlat else { return nil }
        var best: Double? = nil
        for shift in -maxShift...maxShift {
            let startA = max(0, shift), startB = max(0, -shift)
            let count = min(a.count - startA, b.count - startB)
            guard count >= 4 else { continue }
            let x = Array(a[startA..<(startA + count)]), y = Array(b[startB..<(startB + count)])
            let mx = x.reduce(0, +) / Double(count), my = y.reduce(0, +) / Double(count)
            var sxy = 0.0, sxx = 0.0, syy = 0.0
            for i in 0..<count {
                sxy += (x[i] - mx) * (y[i] - my)
                sxx += (x[i] - mx) * (x[i] - mx)
                syy += (y[i] - my) * (y[i] - my)
            }
            guard sxx > 0, syy > 0 else { continue }
            let r = sxy / (sxx * syy).squareRoot()
            if best.map({ r > $0 }) ?? true { best = r }
        }
        return best
    }

    static func deviation(_ values: [Double]) -> Double {
        guard values.count > 1 else { return 0 }
        let mean = values.reduce(0, +) / Double(values.count)
        return (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)).squareRoot()
    }
}

/// How much of a video verification reads.
public enum VerificationMode: String, Sendable, Codable, Equatable, CaseIterable {
    /// The container's index only (plus a packet count when there is no index).
    case quick
    /// The index, plus a handful of frames decoded from keyframes (first, evenly spaced, last) and the
    /// audio track, for the content checks.
    case sampled
    /// Every frame and audio packet decoded; the content checks ride on that decode.
    case deep
}

import CFFmpeg

/// A negative return code from an FFmpeg call, with FFmpeg's own message for it.
public struct FFmpegError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The AVERROR value the call returned.
    public let code: Int32
    /// The FFmpeg function (or step) that failed.
    public let operation: String

    /// FFmpeg's text for `code`, from `av_strerror`.
    public var message: String {
        var buffer = [CChar](repeating: 0, count: Int(ltx_av_error_max_string_size()) + 1)
        let status = buffer.withUnsafeMutableBufferPointer { av_strerror(code, $0.baseAddress, $0.count) }
        if status < 0 { return "error \(code)" }
        return decodeCString(buffer)
    }

    /// `operation: message`.
    public var description: String { "\(operation): \(message)" }

    /// True when the code is AVERROR_EOF.
    public var isEndOfFile: Bool { code == ltx_averror_eof() }
    /// True when the code is AVERROR_INVALIDDATA (the content is not what the reader expected).
    public var isInvalidData: Bool { code == ltx_averror_invaliddata() }
    /// True when the code is AVERROR(EAGAIN).
    public var isAgain: Bool { code == ltx_averror_eagain() }
}

/// Throws `FFmpegError` when `code` is negative, else returns it.
@discardableResult
func ffCheck(_ code: Int32, _ operation: @autoclosure () -> String) throws(FFmpegError) -> Int32 {
    if code < 0 { throw FFmpegError(code: code, operation: operation()) }
    return code
}

/// Process-wide FFmpeg settings applied once, before the first FFmpeg call.
enum FFmpegLibrary {
    private static let configured: Bool = {
        av_log_set_level(AV_LOG_QUIET)
        return true
    }()

    /// Silences FFmpeg's own stderr logging: every failure reaches the user as a typed error instead.
    static func configure() { _ = configured }
}

/// The text of a NUL-terminated C buffer.
func decodeCString(_ buffer: [CChar]) -> String {
    let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return String(decoding: bytes, as: UTF8.self)
}

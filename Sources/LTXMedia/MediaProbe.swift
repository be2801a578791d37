/// Reads what a file contains without decoding it.
public enum MediaProbe {
    /// Probes `path`: container, duration, size and every stream.
    public static func probe(_ path: String) throws(MediaError) -> MediaInfo {
        let size = try InputFile.check(path)
        let input = try openMedia(path)
        do {
            try input.findStreamInfo()
        } catch {
            throw MediaError(.damaged, path: path, reason: "cannot read stream information (\(error.message))")
        }
        var streams = input.streams.map(describe)
        let usable = streams.contains {
            ($0.type == .video && ($0.width ?? 0) > 0 && ($0.height ?? 0) > 0) || ($0.type == .audio && ($0.sampleRate ?? 0) > 0)
        }
        guard usable else {
            throw MediaError(.notMedia, path: path, reason: "not a media file FFmpeg can read (no stream with a picture size or a sample rate; container \(input.formatName))")
        }
        let missing = streams.indices.filter { streams[$0].frameCount == nil && (streams[$0].type == .video || streams[$0].type == .audio) }
        if !missing.isEmpty {
            let counts = try countPackets(input, path: path)
            for i in missing {
                streams[i].frameCount = counts[i, default: 0]
                streams[i].frameCountSource = .packets
            }
        }
        return MediaInfo(
            path: path,
            container: input.formatName,
            containerLongName: input.formatLongName,
            duration: input.durationSeconds,
            size: size,
            bitRate: input.bitRate > 0 ? input.bitRate : nil,
            streams: streams
        )
    }

    /// Opens a media file, turning FFmpeg's refusal into a one-line reason.
    static func openMedia(_ path: String, formatName: String? = nil) throws(MediaError) -> InputContext {
        do {
            return try InputContext(path: path, formatName: formatName)
        } catch {
            if error.code == InputPolicy.refusedDemuxer {
                throw MediaError(.unsupportedFormat, path: path, reason: "FFmpeg reads it as \(error.operation), a format ltxpipe does not open (it reads \(InputPolicy.readableFormats))")
            }
            if error.isInvalidData {
                throw MediaError(.notMedia, path: path, reason: "not a media file FFmpeg can read (\(error.message))")
            }
            throw MediaError(.unreadable, path: path, reason: "cannot open (\(error.message))")
        }
    }

    /// Opens a file that must be a video: a still picture (read by an image demuxer) is refused.
    static func openVideo(_ path: String) throws(MediaError) -> InputContext {
        let input = try openMedia(path)
        if input.isStillImage {
            throw MediaError(.notMedia, path: path, reason: "is a still image (\(input.formatLongName ?? input.formatName)), not a video")
        }
        return input
    }

    /// The probe's view of one stream.
    static func describe(_ stream: StreamDescription) -> StreamInfo {
        var info = StreamInfo(index: stream.index, type: stream.kind, codec: stream.codecName, codecLongName: stream.codecLongName)
        info.duration = stream.duration
        if let stated = stream.statedFrameCount {
            info.frameCount = stated
            info.frameCountSource = .index
        }
        info.bitRate = stream.bitRate
        switch stream.kind {
        case .video:
            info.width = stream.width
            info.height = stream.height
            info.fps = stream.frameRate
            info.pixelFormat = stream.pixelFormat
            info.bitDepth = stream.pixelBitDepth
        case .audio:
            info.sampleRate = stream.sampleRate
            info.channels = stream.channels
            info.channelLayout = stream.channelLayout
            info.sampleFormat = stream.sampleFormat
            info.bitDepth = stream.sampleBitDepth
        default:
            break
        }
        return info
    }

    /// Counts packets per stream by reading the whole file without decoding.
    static func countPackets(_ input: InputContext, path: String) throws(MediaError) -> [Int: Int] {
        let packet: Packet
        do { packet = try Packet() } catch { throw MediaError(.unreadable, path: path, reason: error.description) }
        var counts: [Int: Int] = [:]
        while true {
            let more: Bool
            do { more = try input.read(into: packet) } catch {
                throw MediaError(.damaged, path: path, reason: "cannot read packets (\(error.message))")
            }
            if !more { break }
            counts[packet.streamIndex, default: 0] += 1
            packet.unref()
        }
        return counts
    }
}

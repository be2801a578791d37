import CFFmpeg

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
        var streams = (0..<input.streamCount).map { describe(input.stream($0), index: $0) }
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
            if error.code == ltx_averror_invaliddata() {
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

    static func describe(_ stream: UnsafeMutablePointer<AVStream>, index: Int) -> StreamInfo {
        let parameters = stream.pointee.codecpar.pointee
        let descriptor = avcodec_descriptor_get(parameters.codec_id)
        var info = StreamInfo(
            index: index,
            type: mediaType(parameters.codec_type),
            codec: descriptor.map { String(cString: $0.pointee.name) } ?? "unknown",
            codecLongName: descriptor.flatMap { $0.pointee.long_name.map { String(cString: $0) } }
        )
        let timeBase = stream.pointee.time_base
        if stream.pointee.duration > 0, stream.pointee.duration != ltx_av_nopts_value(), timeBase.den > 0 {
            info.duration = Double(stream.pointee.duration) * Double(timeBase.num) / Double(timeBase.den)
        }
        if stream.pointee.nb_frames > 0 {
            info.frameCount = Int(stream.pointee.nb_frames)
            info.frameCountSource = .index
        }
        if parameters.bit_rate > 0 { info.bitRate = parameters.bit_rate }
        switch parameters.codec_type {
        case AVMEDIA_TYPE_VIDEO:
            info.width = Int(parameters.width)
            info.height = Int(parameters.height)
            info.fps = Rational(stream.pointee.avg_frame_rate) ?? Rational(stream.pointee.r_frame_rate)
            if parameters.format >= 0, let desc = av_pix_fmt_desc_get(AVPixelFormat(rawValue: parameters.format)) {
                info.pixelFormat = String(cString: desc.pointee.name)
                info.bitDepth = Int(desc.pointee.comp.0.depth)
            }
        case AVMEDIA_TYPE_AUDIO:
            info.sampleRate = Int(parameters.sample_rate)
            info.channels = Int(parameters.ch_layout.nb_channels)
            info.channelLayout = layoutName(parameters.ch_layout)
            if parameters.format >= 0, let name = av_get_sample_fmt_name(AVSampleFormat(rawValue: parameters.format)) {
                info.sampleFormat = String(cString: name)
            }
            if parameters.bits_per_raw_sample > 0 {
                info.bitDepth = Int(parameters.bits_per_raw_sample)
            } else if parameters.format >= 0 {
                let bytes = av_get_bytes_per_sample(AVSampleFormat(rawValue: parameters.format))
                if bytes > 0 { info.bitDepth = Int(bytes) * 8 }
            }
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

    static func mediaType(_ type: AVMediaType) -> StreamInfo.MediaType {
        switch type {
        case AVMEDIA_TYPE_VIDEO: return .video
        case AVMEDIA_TYPE_AUDIO: return .audio
        case AVMEDIA_TYPE_SUBTITLE: return .subtitle
        case AVMEDIA_TYPE_DATA: return .data
        case AVMEDIA_TYPE_ATTACHMENT: return .attachment
        default: return .unknown
        }
    }

    static func layoutName(_ layout: AVChannelLayout) -> String? {
        if layout.order == AV_CHANNEL_ORDER_UNSPEC {
            switch layout.nb_channels {
            case 1: return "mono"
            case 2: return "stereo"
            default: break
            }
        }
        var copy = layout
        var buffer = [CChar](repeating: 0, count: 128)
        let written = buffer.withUnsafeMutableBufferPointer { av_channel_layout_describe(&copy, $0.baseAddress, $0.count) }
        return written > 0 ? decodeCString(buffer) : nil
    }
}

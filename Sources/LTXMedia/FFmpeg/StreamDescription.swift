import CFFmpeg

/// What one demuxed stream says about itself, copied out of its `AVStream` and `AVCodecParameters`
/// so that code outside `FFmpeg/` never walks those pointers.
struct StreamDescription: Sendable, Equatable {
    /// Index of the stream in the container.
    var index: Int
    /// Video, audio, subtitle...
    var kind: StreamInfo.MediaType
    /// True for a cover picture attached to an audio file (a video stream that is not a video).
    var isAttachedPicture: Bool
    /// True when the container named a codec at all.
    var hasCodec: Bool
    /// Codec short name (`h264`, `aac`), or `unknown`.
    var codecName: String
    /// Codec descriptive name.
    var codecLongName: String?
    /// True when this FFmpeg build has a decoder for the codec.
    var hasDecoder: Bool
    /// Picture size (video), 0 when unknown.
    var width: Int, height: Int
    /// Exact frame rate: avg_frame_rate, else r_frame_rate.
    var frameRate: Rational?
    /// Frames the container's header or index states (nb_frames), when it states any.
    var statedFrameCount: Int?
    /// Stream duration in seconds, when stated.
    var duration: Double?
    /// Unit of the stream's timestamps, when valid.
    var timeBase: Rational?
    /// First presentation timestamp, when stated.
    var startTime: Int64?
    /// Stream bit rate in bits per second, when stated.
    var bitRate: Int64?
    /// Pixel format name and bits per component (video).
    var pixelFormat: String?, pixelBitDepth: Int?
    /// Sample rate in Hz, channel count and layout name (audio).
    var sampleRate: Int, channels: Int, channelLayout: String?
    /// Sample format name and bits per sample (audio).
    var sampleFormat: String?, sampleBitDepth: Int?

    /// Copies the facts of `stream`.
    init(_ stream: UnsafeMutablePointer<AVStream>, index: Int) {
        let s = stream.pointee
        let p = s.codecpar.pointee
        let descriptor = avcodec_descriptor_get(p.codec_id)
        self.index = index
        kind = StreamDescription.kind(p.codec_type)
        isAttachedPicture = (s.disposition & AV_DISPOSITION_ATTACHED_PIC) != 0
        hasCodec = p.codec_id != AV_CODEC_ID_NONE
        codecName = descriptor.map { String(cString: $0.pointee.name) } ?? "unknown"
        codecLongName = descriptor.flatMap { $0.pointee.long_name.map { String(cString: $0) } }
        hasDecoder = avcodec_find_decoder(p.codec_id) != nil
        width = Int(p.width)
        height = Int(p.height)
        frameRate = Rational(s.avg_frame_rate) ?? Rational(s.r_frame_rate)
        statedFrameCount = s.nb_frames > 0 ? Int(s.nb_frames) : nil
        let timeBase = s.time_base
        if s.duration > 0, s.duration != ltx_av_nopts_value(), timeBase.den > 0 {
            duration = Double(s.duration) * Double(timeBase.num) / Double(timeBase.den)
        }
        bitRate = p.bit_rate > 0 ? p.bit_rate : nil
        self.timeBase = Rational(timeBase)
        startTime = s.start_time == ltx_av_nopts_value() ? nil : s.start_time
        sampleRate = Int(p.sample_rate)
        channels = Int(p.ch_layout.nb_channels)
        channelLayout = nil
        if kind == .video, p.format >= 0, let desc = av_pix_fmt_desc_get(AVPixelFormat(rawValue: p.format)) {
            pixelFormat = String(cString: desc.pointee.name)
            pixelBitDepth = Int(desc.pointee.comp.0.depth)
        }
        if kind == .audio {
            channelLayout = ChannelLayoutName.describe(p.ch_layout)
            if p.format >= 0, let name = av_get_sample_fmt_name(AVSampleFormat(rawValue: p.format)) {
                sampleFormat = String(cString: name)
            }
            if p.bits_per_raw_sample > 0 {
                sampleBitDepth = Int(p.bits_per_raw_sample)
            } else if p.format >= 0 {
                let bytes = av_get_bytes_per_sample(AVSampleFormat(rawValue: p.format))
                if bytes > 0 { sampleBitDepth = Int(bytes) * 8 }
            }
        }
    }

    /// A real video stream: pictures that move, not a cover picture.
    var isVideo: Bool { kind == .video && !isAttachedPicture }

    static func kind(_ type: AVMediaType) -> StreamInfo.MediaType {
        switch type {
        case AVMEDIA_TYPE_VIDEO: return .video
        case AVMEDIA_TYPE_AUDIO: return .audio
        case AVMEDIA_TYPE_SUBTITLE: return .subtitle
        case AVMEDIA_TYPE_DATA: return .data
        case AVMEDIA_TYPE_ATTACHMENT: return .attachment
        default: return .unknown
        }
    }
}

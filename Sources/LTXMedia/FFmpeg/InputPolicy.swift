import CFFmpeg

/// The demuxers and decoders ltxpipe lets FFmpeg use on files it did not make.
///
/// FFmpeg is built with every demuxer enabled, including ones that inflate a small file into gigabytes
/// (libgme reads gzip-compressed chip music whole into memory) or read other files and URLs (playlists,
/// concat lists, image sequences). An input is opened only with the containers the product reads, through
/// the `file` protocol alone, and decoded only with the codecs it needs.
enum InputPolicy {
    /// Demuxer names accepted for input files: video containers, audio files and single still images.
    static let demuxers: [String] = [
        "mov", "matroska", "mp3", "wav", "w64", "ogg", "aac", "flac", "aiff", "asf",
        "image2", "png_pipe", "jpeg_pipe", "webp_pipe", "gif", "bmp_pipe", "tiff_pipe",
    ]

    /// Decoder names accepted (every `pcm_*` decoder is accepted as well).
    static let decoders: Set<String> = [
        "h264", "hevc", "vp8", "vp9", "libvpx", "libvpx-vp9", "av1", "libdav1d", "libaom-av1", "mpeg4", "prores",
        "mjpeg", "png", "apng", "gif", "webp", "bmp", "tiff",
        "aac", "aac_fixed", "aac_latm", "alac", "flac", "mp1", "mp1float", "mp2", "mp2float", "mp3", "mp3float",
        "opus", "libopus", "vorbis", "libvorbis", "wmav1", "wmav2", "adpcm_ima_wav", "adpcm_ms",
    ]

    /// Demuxers that read one still picture: accepted for images, never taken for a video.
    static let stillImageDemuxers: Set<String> = ["image2", "png_pipe", "jpeg_pipe", "webp_pipe", "bmp_pipe", "tiff_pipe"]

    /// True when `name` (a decoder's short name) may decode input files.
    static func allowsDecoder(_ name: String) -> Bool {
        decoders.contains(name) || name.hasPrefix("pcm_")
    }

    /// True when one of the comma-separated names of a demuxer (`mov,mp4,m4a,...`) is accepted.
    static func allowsDemuxer(_ names: String) -> Bool {
        names.split(separator: ",").contains { demuxers.contains(String($0)) }
    }

    /// `format_whitelist` for `avformat_open_input`.
    static let formatWhitelist = demuxers.joined(separator: ",")

    /// `codec_whitelist`: every decoder of this FFmpeg build that `allowsDecoder` accepts.
    static let codecWhitelist: String = {
        var names: [String] = []
        var state: UnsafeMutableRawPointer? = nil
        while let codec = av_codec_iterate(&state) {
            guard av_codec_is_decoder(codec) != 0 else { continue }
            let name = String(cString: codec.pointee.name)
            if allowsDecoder(name) { names.append(name) }
        }
        return names.joined(separator: ",")
    }()

    /// Options every input is opened with: the whitelists, local files only, and image files read one at a time.
    static var openOptions: [String: String] {
        [
            "format_whitelist": formatWhitelist,
            "codec_whitelist": codecWhitelist,
            "protocol_whitelist": "file",
            // image2 otherwise treats `%d` and glob characters in a name as a sequence of other files.
            "pattern_type": "none",
        ]
    }

    /// Largest picture any decoder of an input may allocate (the product's 100-megapixel limit).
    static let maxPixels = 100_000_000
}

extension InputPolicy {
    /// AVERROR_DEMUXER_NOT_FOUND (FFERRTAG(0xF8,'D','E','M')): the error for a container refused by the policy.
    static let refusedDemuxer: Int32 = -Int32(bitPattern: 0xF8 | UInt32(UInt8(ascii: "D")) << 8 | UInt32(UInt8(ascii: "E")) << 16 | UInt32(UInt8(ascii: "M")) << 24)

    /// Containers an input may be, in words, for error messages.
    static let readableFormats = "MP4/MOV, Matroska/WebM, MP3, WAV, Ogg, AAC, FLAC, AIFF, WMA, JPEG, PNG, WebP, GIF, BMP, TIFF"
}

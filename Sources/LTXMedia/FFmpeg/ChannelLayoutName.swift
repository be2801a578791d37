import CFFmpeg

/// Names of channel layouts as FFmpeg describes them (`mono`, `stereo`, `5.1`).
enum ChannelLayoutName {
    static func describe(_ layout: AVChannelLayout) -> String? {
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

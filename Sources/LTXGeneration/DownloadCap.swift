import LTXAPI

/// The largest video a request can plausibly produce: a 20 s 4K video is hundreds of megabytes, not 4 GiB. Half a
/// bit per pixel per frame (several times what H.264 needs at high quality) over at least 20 seconds, plus 64 MiB for
/// audio and container; every product saturates instead of overflowing.
public enum DownloadCap {
    /// Bytes a download for `parameters` may reach before it is refused and its partial file removed.
    public static func bytes(for parameters: GenerationParameters) -> Int64 {
        let floor: Int64 = 64 << 20
        let seconds = Int64(max(parameters.duration ?? 20, 20))  // `auto` lengths are 20 s at most
        var product = Int64(max(parameters.resolution.width, 1))
        for factor in [Int64(max(parameters.resolution.height, 1)), Int64(max(parameters.fps, 1)), seconds] {
            let (next, overflow) = product.multipliedReportingOverflow(by: factor)
            if overflow { return DownloadOptions().maxBytes }
            product = next
        }
        return min(DownloadOptions().maxBytes, floor + product / 16)
    }
}

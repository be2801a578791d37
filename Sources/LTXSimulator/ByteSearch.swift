import Foundation

/// Fast substring search in bytes (memchr for the first byte, then compare), fine for bodies of tens of megabytes.
enum ByteSearch {
    /// The first index ≥ `start` where `needle` occurs in `haystack`.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, start >= 0, haystack.count - start >= needle.count else { return nil }
        return haystack.withUnsafeBufferPointer { hay -> Int? in
            guard let base = hay.baseAddress else { return nil }
            var index = start
            let last = hay.count - needle.count
            while index <= last {
                guard let hit = memchr(base + index, Int32(first), last - index + 1) else { return nil }
                let offset = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                var matches = true
                for k in 1..<needle.count where base[offset + k] != needle[k] {
                    matches = false
                    break
                }
                if matches { return offset }
                index = offset + 1
            }
            return nil
        }
    }
}

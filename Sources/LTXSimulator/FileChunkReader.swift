import LTXCore
import Foundation
import LTXMedia

/// Reads ranges of a file with `pread`, off the cooperative pool.
struct FileChunkReader: Sendable {
    private let descriptor: Int32

    init(path: String) throws(SimulatorError) {
        descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw SimulatorError(.serverError, "cannot open \(path): \(String(cString: strerror(errno)))")
        }
    }

    func read(at offset: Int, count: Int) async throws -> [UInt8] {
        let descriptor = self.descriptor
        return try await SimulatorWork.read { () throws(SimulatorError) -> [UInt8] in
            var buffer = [UInt8](repeating: 0, count: count)
            let got = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, count, off_t(offset)) }
            guard got >= 0 else {
                throw SimulatorError(.serverError, "cannot read the video: \(String(cString: strerror(errno)))")
            }
            buffer.removeLast(count - got)
            return buffer
        }
    }

    func close() {
        _ = Foundation.close(descriptor)
    }
}

import Foundation
import LTXAPI
import LTXMedia
import LTXPipeline

/// The parsers hostile bytes reach, each run on one input: media probing, image preflight (with a conforming copy
/// written, so decoding and scaling run too), `NAME.json` sidecars and pipeline files. Built with
/// `-sanitize=fuzzer -DLTXFUZZ` (`make fuzz`) libFuzzer drives `LLVMFuzzerTestOneInput` with the target named by
/// `LTXFUZZ_TARGET`; built plainly it replays files: `ltxpipe-fuzz TARGET FILE...` (to reproduce a finding).
enum FuzzTarget: String, CaseIterable {
    case probe, image, sidecar, pipeline

    /// The target named by `LTXFUZZ_TARGET` (probe when unset).
    static let current: FuzzTarget = ProcessInfo.processInfo.environment["LTXFUZZ_TARGET"].flatMap(FuzzTarget.init(rawValue:)) ?? .probe

    private static let scratch = (ProcessInfo.processInfo.environment["LTXFUZZ_SCRATCH"] ?? NSTemporaryDirectory()) + "/ltxpipe-fuzz-\(getpid())"

    /// Runs the target on `data`; returns a one-line outcome (errors are expected outcomes, traps are findings).
    @discardableResult
    func run(_ data: Data) -> String {
        switch self {
        case .probe:
            let path = FuzzTarget.file(data, name: "input.bin")
            do { return "probed: \(try MediaProbe.probe(path).streams.count) stream(s)" } catch { return "refused: \(error.kind.rawValue)" }
        case .image:
            let path = FuzzTarget.file(data, name: "input.img")
            let output = FuzzTarget.scratch + "/out"
            try? FileManager.default.removeItem(atPath: output)
            try? FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            let target = ImageTarget(width: 320, height: 180)
            do { return "preflighted: \(try ImagePreflight.run(path, target: target, outputDirectory: output).actions.count) action(s)" } catch {
                return "refused: \(error.kind.rawValue)"
            }
        case .sidecar:
            switch Sidecar.parse(data, name: "fuzz.json") {
            case .success: return "sidecar parsed"
            case .failure(let rejection): return "refused: \(rejection.reason)"
            }
        case .pipeline:
            let text = String(decoding: data, as: UTF8.self)
            do { return "pipeline: \(try PipelineFile.parse(yaml: text, path: FuzzTarget.scratch + "/fuzz.yml").name)" } catch {
                return "refused: \(error.description.prefix(80))"
            }
        }
    }

    private static func file(_ data: Data, name: String) -> String {
        try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let path = scratch + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: data)
        return path
    }
}

/// libFuzzer's entry point: one input for the current target.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafeRawPointer, _ count: Int) -> CInt {
    FuzzTarget.current.run(Data(bytes: bytes, count: count))
    return 0
}

#if LTXFUZZ
/// libFuzzer's driver (from the runtime `-sanitize=fuzzer` links): parses libFuzzer's flags and runs the loop.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt
#endif

/// Under libFuzzer (`-DLTXFUZZ`) hands the process to libFuzzer's driver; otherwise replays files through a target.
@main
enum FuzzMain {
    static func main() {
        #if LTXFUZZ
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { bytes, count in
            guard let bytes else { return 0 }
            return fuzzOneInput(UnsafeRawPointer(bytes), count)
        })
        #else
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name), arguments.count > 1 else {
            FileHandle.standardError.write(Data("usage: ltxpipe-fuzz \(FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")) FILE...\n".utf8))
            exit(2)
        }
        for path in arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else {
                print("\(path): cannot read")
                continue
            }
            print("\(path): \(target.run(data))")
        }
        #endif
    }
}

import Synchronization
import Foundation
import LTXCore
import Testing

@Suite("LTXCore")
struct LTXCoreTests {
    static func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ltxcore-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("write is whole or absent and leaves no temporary file")
    func writeWhole() throws {
        let root = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try DurableFile.write(Data("hello".utf8), to: root + "/a/b.txt")
        #expect(FileManager.default.contents(atPath: root + "/a/b.txt") == Data("hello".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/a") == ["b.txt"])
    }

    @Test("digest is the SHA-256 of the bytes, streamed")
    func digest() throws {
        let root = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try DurableFile.write(Data("abc".utf8), to: root + "/abc")
        let digest = try DurableFile.digest(of: root + "/abc")
        #expect(digest.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(digest.size == 3)
        #expect(FileDigest(of: "abc") == digest)
    }

    @Test("move keeps the bytes and returns their digest; a missing source names the path")
    func move() throws {
        let root = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try DurableFile.write(Data(repeating: 7, count: 3_000_000), to: root + "/big")
        let moved = try DurableFile.move(root + "/big", to: root + "/sub/big")
        #expect(moved.size == 3_000_000)
        #expect(!FileManager.default.fileExists(atPath: root + "/big"))
        #expect(throws: DurableFileError.self) { try DurableFile.move(root + "/nothing", to: root + "/x") }
        do { try DurableFile.move(root + "/nothing", to: root + "/x") } catch { #expect(error.description.contains("nothing")) }
    }

    @Test("control characters from files and servers are escaped for display")
    func escaping() {
        #expect(DisplayText.escaped("a\u{1B}[2Jb\r\n") == "a\\u{1b}[2Jb\\u{d}\\u{a}")
        #expect(DisplayText.escaped("día\tok") == "día\tok")
        #expect(DisplayText.escaped(String(repeating: "x", count: 10), limit: 4) == "xxxx…")
    }

    @Test("a manual clock moves only by the sleeps asked for, and absurd sleeps are bounded")
    func manualClock() async throws {
        let time = ManualTime()
        let clock = PipelineClock(manual: time)
        try await clock.sleep(300)
        try await clock.sleep(.infinity)
        try await clock.sleep(-5)
        #expect(time.sleeps == [300, PipelineClock.longestSleep, 0])
        #expect(clock.now() == 300 + PipelineClock.longestSleep)
        #expect(PipelineClock.bounded(.nan) == 0)
    }

    @Test("a manual clock without auto-advance wakes a sleeper only when advanced past its time")
    func manualAdvance() async throws {
        let time = ManualTime(autoAdvance: false)
        let clock = PipelineClock(manual: time)
        let sleeper = Task { try await clock.sleep(10); return clock.now() }
        while time.sleeps.isEmpty { await Task.yield() }
        time.advance(by: 4)
        time.advance(by: 6)
        #expect(try await sleeper.value == 10)
    }

    @Test("the bounded executor runs work on at most its width of threads")
    func executorWidth() async {
        let executor = BlockingExecutor(name: "test", width: 2)
        let counter = Counter()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    await executor.run {
                        counter.enter()
                        usleep(20_000)
                        counter.leave()
                    }
                }
            }
        }
        #expect(counter.peak <= 2)
        #expect(counter.total == 8)
    }
}

final class Counter: Sendable {
    private let state = Mutex<(now: Int, peak: Int, total: Int)>((0, 0, 0))
    func enter() { state.withLock { $0.now += 1; $0.peak = max($0.peak, $0.now); $0.total += 1 } }
    func leave() { state.withLock { $0.now -= 1 } }
    var peak: Int { state.withLock { $0.peak } }
    var total: Int { state.withLock { $0.total } }
}

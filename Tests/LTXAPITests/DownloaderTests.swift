import Foundation
import Testing
@testable import LTXAPI

@Suite("Downloader and HTTP layer")
struct DownloaderTests {
    @Test func onlyHTTPAndHTTPSAreFetched() async throws {
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("never-\(UUID().uuidString)").path
        for link in ["file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1/x"] {
            let url = try #require(URL(string: link))
            let error = await httpError(link) { try await Downloader().download(from: url, to: target) }
            if case .forbiddenScheme? = error?.kind {} else { Issue.record("\(link): \(String(describing: error))") }
            #expect(error?.requestMayHaveBeenSent == false)
        }
        #expect(!FileManager.default.fileExists(atPath: target))
        #expect(!FileManager.default.fileExists(atPath: Downloader.partialPath(for: target)), "no partial file left behind")
    }

    @Test func sizeCapStopsTheTransfer() async throws {
        try await SimulatorLab.with { lab in
            let status = try await lab.client.submit(SimulatorLab.textToVideo)
            let path = lab.directory + "/capped.mp4"
            let error = await apiError("a download over the cap") {
                try await lab.client.download(status, to: path, options: DownloadOptions(maxBytes: 100_000, attempts: 1))
            }
            if case .downloadFailed(let message)? = error { #expect(message.contains("100000")) } else { Issue.record("\(String(describing: error))") }
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }

    @Test func connectionRefusedIsNotSent() async throws {
        let url = try #require(URL(string: "http://127.0.0.1:9/v1/x"))
        let error = await httpError("port 9") {
            try await HTTPClient().send(HTTPRequest(method: "POST", url: url, body: .data(Data("{}".utf8), contentType: "application/json")))
        }
        #expect(error?.requestMayHaveBeenSent == false)
    }

    @Test func contentRangeParsing() {
        let range = ContentRange("bytes 100-199/1000")
        #expect(range?.start == 100 && range?.end == 199 && range?.total == 1000)
        #expect(ContentRange("bytes 0-9/*")?.total == nil)
        #expect(ContentRange("items 0-9/10") == nil)
        #expect(ContentRange(nil) == nil)
    }

    @Test func retryAfterParsing() {
        let response = HTTPResponse(status: 429, headers: ["retry-after": "17"], body: Data(), timings: HTTPTimings(connect: 0, firstByte: 0, total: 0))
        #expect(response.retryAfter == 17)
        let none = HTTPResponse(status: 429, headers: [:], body: Data(), timings: HTTPTimings(connect: 0, firstByte: 0, total: 0))
        #expect(none.retryAfter == nil)
    }

    @Test func retryPolicyIsTheReferenceTable() {
        let policy = RetryPolicy.generations
        #expect(policy.rule(for: 429).action == .wait)
        #expect(policy.delay(policy.rule(for: 429), attempt: 0, retryAfter: nil) == 60)
        #expect(policy.delay(policy.rule(for: 429), attempt: 0, retryAfter: 7) == 7)
        #expect(policy.rule(for: 500).retries == 1)
        #expect(policy.delay(policy.rule(for: 500), attempt: 0, retryAfter: nil) == 300)
        #expect(policy.rule(for: 503).action == .backoff)
        #expect(policy.rule(for: 401).action == .hold)
        #expect(policy.rule(for: 402).action == .hold)
        #expect(policy.rule(for: 413).action == .recompress)
        #expect(policy.rule(for: 422).action == .transcode)
        #expect(policy.rule(for: 400).action == .fail)
    }
}

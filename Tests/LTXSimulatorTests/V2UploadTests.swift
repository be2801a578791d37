import Foundation
import Testing
@testable import LTXSimulator

extension V2Suites {
    @Suite("ltx-v2 uploads")
    struct V2UploadTests {
        @Test("POST /v1/upload (no body) → PUT with the required headers and the file's Content-Type → the storage_uri works in submits")
        func uploadFlow() async throws {
            let jpeg = try Harness.fixture("landscape-16x9.jpg")
            let voice = try Harness.fixture("voice-3s.wav")
            try await Harness.v2 { sim in
                let ticket = try await sim.v2Ticket()
                #expect(Set(ticket.keys) == ["upload_url", "storage_uri", "expires_at", "required_headers"])
                let uploadURL = try #require(ticket["upload_url"] as? String)
                #expect(uploadURL.hasPrefix(sim.origin.absoluteString + "/_uploads/"))
                let storage = try #require(ticket["storage_uri"] as? String)
                #expect(storage.hasPrefix("ltx://uploads/"))
                let expiresAt = try #require((ticket["expires_at"] as? String).flatMap { try? Date($0, strategy: .iso8601) })
                #expect(abs(expiresAt.timeIntervalSinceNow - 3_600) < 60)
                let required = try #require(ticket["required_headers"] as? [String: String])
                #expect(Set(required.keys) == ["x-ltx-upload-token"])
                #expect(uploadURL.hasSuffix("/" + (required["x-ltx-upload-token"] ?? "-")))

                // Referenced before the PUT: nothing there yet.
                let early = try await sim.v2Submit("image-to-video", [
                    "prompt": "p", "model": "ltx-2-3-fast", "resolution": "1920x1080", "duration": 6, "image_uri": storage,
                ])
                #expect(early.status == 400)
                #expect(early.errorMessage?.contains("has no file yet") == true)

                let put = try await sim.v2Put(ticket, bytes: jpeg, headers: required.merging(["Content-Type": "image/jpeg"]) { a, _ in a })
                #expect(put.status == 200, "\(put.text)")
                #expect(put.body.isEmpty)
                #expect(put.header("x-request-id")?.isEmpty == false)

                let submit = try await sim.v2Submit("image-to-video", [
                    "prompt": "p", "model": "ltx-2-3-fast", "resolution": "1920x1080", "duration": 6, "image_uri": storage,
                ])
                #expect(submit.status == 202, "\(submit.text)")

                // Uploaded audio is measured like inline audio.
                let audio = try await sim.v2Upload(voice)
                #expect(try await sim.v2Submit("audio-to-video", ["prompt": "p", "audio_uri": audio]).status == 202)
                // An uploaded image is not audio.
                let wrong = try await sim.v2Submit("audio-to-video", ["prompt": "p", "audio_uri": storage])
                #expect(wrong.status == 400)
                #expect(wrong.errorMessage?.contains("audio_uri is not audio") == true)

                let stats = await sim.server.stats()
                #expect(stats.uploads == 2)
                #expect(stats.requests.other == 2)  // the two POST /v1/upload
                #expect(stats.authorizationOnUploads == 0)
                #expect(stats.submitsAccepted == 2)
            }
        }

        @Test("a PUT carrying Authorization is 403 and counted; the file is not stored")
        func authorizationOnUpload() async throws {
            try await Harness.v2 { sim in
                let ticket = try await sim.v2Ticket()
                var headers = try #require(ticket["required_headers"] as? [String: String])
                headers["Authorization"] = "Bearer \(sim.key)"
                let put = try await sim.v2Put(ticket, bytes: Array("RIFF".utf8), headers: headers)
                #expect(put.status == 403)
                #expect(put.header("content-type")?.hasPrefix("text/plain") == true)
                #expect(put.text.contains("Authorization"))
                let stats = await sim.server.stats()
                #expect(stats.authorizationOnUploads == 1)
                #expect(stats.uploads == 1)
                #expect(try await sim.statsJSON()["authorization_on_uploads"] as? Int == 1)
                let storage = try #require(ticket["storage_uri"] as? String)
                let submit = try await sim.v2Submit("audio-to-video", ["prompt": "p", "audio_uri": storage])
                #expect(submit.errorMessage?.contains("has no file yet") == true)
            }
        }

        @Test("a PUT must carry the required headers (missing or different: 403); Content-Type is optional and must be a media type")
        func requiredHeaders() async throws {
            try await Harness.v2 { sim in
                let ticket = try await sim.v2Ticket()
                let required = try #require(ticket["required_headers"] as? [String: String])
                let token = try #require(required["x-ltx-upload-token"])
                let variants: [[String: String]] = [
                    ["Content-Type": "application/octet-stream"],
                    ["Content-Type": "image/png", "x-ltx-upload-token": token + "0"],
                    [:],
                ]
                for headers in variants {
                    let put = try await sim.v2Put(ticket, bytes: [1, 2, 3], headers: headers)
                    #expect(put.status == 403, "\(headers)")
                    #expect(!put.text.isEmpty)
                }
                let garbled = try await sim.v2Put(ticket, bytes: [1], headers: ["Content-Type": "png", "x-ltx-upload-token": token])
                #expect(garbled.status == 400)
                // An unknown target is refused the same way.
                let stranger = try await RawHTTP.send(
                    "PUT", sim.url("/_uploads/ffffffff"), headers: ["Content-Type": "application/octet-stream", "x-ltx-upload-token": "ffffffff"],
                    body: [1])
                #expect(stranger.status == 403)
                for contentType in ["image/png", "application/octet-stream", nil] {
                    var headers = required
                    headers["Content-Type"] = contentType
                    #expect(try await sim.v2Put(ticket, bytes: [1, 2, 3], headers: headers).status == 200, "\(contentType ?? "none")")
                }
                #expect(await sim.server.stats().uploads == variants.count + 5)
            }
        }

        @Test("POST /v1/upload takes no body: one is 400 invalid_request_error")
        func ticketWithBody() async throws {
            try await Harness.v2 { sim in
                var headers = sim.auth(.valid)
                headers["Content-Type"] = "application/json"
                let reply = try await RawHTTP.send(
                    "POST", sim.url("/v1/upload"), headers: headers, body: Array(#"{"filename":"a.png"}"#.utf8))
                #expect(reply.status == 400)
                #expect(reply.errorType == "invalid_request_error")
                #expect(reply.errorMessage?.contains("takes no request body") == true)
            }
        }

        @Test("a PUT answers 201 when configured so, or for the next N with the uploadPutCreated fault")
        func putCreated() async throws {
            try await Harness.v2({ $0.faults.uploadPutCreated = 1 }) { sim in
                let ticket = try await sim.v2Ticket()
                #expect(try await sim.v2Put(ticket, bytes: [1]).status == 201)
                #expect(try await sim.v2Put(ticket, bytes: [1]).status == 200)
            }
            try await Harness.v2({ $0.uploadPutStatus = 201 }) { sim in
                let png = try Harness.fixture("logo-alpha.png")
                let ticket = try await sim.v2Ticket()
                #expect(try await sim.v2Put(ticket, bytes: png).status == 201)
                let storage = try #require(ticket["storage_uri"] as? String)
                #expect(try await sim.v2Submit("image-to-video", [
                    "prompt": "p", "model": "ltx-2-3-fast", "resolution": "1920x1080", "duration": 6, "image_uri": storage,
                ]).status == 202)
            }
            #expect(throws: SimulatorServerError.self) { try SimulatorConfiguration(uploadPutStatus: 204).validate() }
        }

        @Test("an upload URL expires 1 h after it was issued: a later PUT is 403")
        func expiredUploadURL() async throws {
            try await Harness.v2 { sim in
                let ticket = try await sim.v2Ticket()
                await sim.server.advanceTime(by: 3_601)
                let put = try await sim.v2Put(ticket, bytes: [1, 2, 3])
                #expect(put.status == 403)
                #expect(put.text.contains("expired"))
                // A fresh ticket works.
                #expect(try await sim.v2Put(try await sim.v2Ticket(), bytes: [1, 2, 3]).status == 200)
            }
        }

        @Test("an upload is kept 24 h: after 25 h its storage_uri is 400 on submit")
        func expiredStorage() async throws {
            let png = try Harness.fixture("logo-alpha.png")
            try await Harness.v2 { sim in
                let storage = try await sim.v2Upload(png)
                let fields: [String: Any] = ["prompt": "p", "model": "ltx-2-3-fast", "resolution": "1920x1080", "duration": 6, "image_uri": storage]
                #expect(try await sim.v2Submit("image-to-video", fields).status == 202)
                await sim.server.advanceTime(by: 25 * 3_600)
                let late = try await sim.v2Submit("image-to-video", fields)
                #expect(late.status == 400)
                #expect(late.errorType == "invalid_request_error")
                #expect(late.errorMessage?.contains("has expired") == true)
            }
        }

        @Test("upload PUTs are not API calls: they never count toward the rate window")
        func uploadsNotRateLimited() async throws {
            try await Harness.v2({ $0.requestsPerWindow = 2 }) { sim in
                let ticket = try await sim.v2Ticket()  // API request 1
                for _ in 0..<4 {
                    #expect(try await sim.v2Put(ticket, bytes: [9, 9]).status == 200)
                }
                #expect(try await sim.v2Poll("text-to-video", "unknown").status == 404)  // API request 2
                let limited = try await sim.v2Poll("text-to-video", "unknown")
                #expect(limited.status == 429)
                #expect(limited.errorType == "rate_limit_error")
                #expect(limited.header("retry-after").flatMap(Int.init) != nil)
                let stats = await sim.server.stats()
                #expect(stats.uploads == 4)
                #expect(stats.maxRequestsInWindow == 2)
            }
        }
    }
}

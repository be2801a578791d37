import Foundation
import Testing
@testable import LTXMedia

@Test func smoke() throws {
    let path = NSTemporaryDirectory() + "/smoke.mp4"
    try TestPatternWriter.write(TestPattern(width: 320, height: 180, fps: Rational(25, 1), frameCount: 145), to: path)
    let info = try MediaProbe.probe(path)
    print(info)
    let report = try VideoVerifier.verify(path, against: VerificationRequest(fps: Rational(25, 1), duration: 6, width: 320, height: 180, audioExpected: true, deep: true))
    print(report)
}

/// What `ltxpipe --version` prints: the release number, set here and nowhere else, and the commit the binary was
/// built from when the build could read it (`BuildCommit`, written before each build by `Plugins/BuildCommitPlugin`; nil outside a git checkout).
enum LTXPipeVersion {
    /// The release number.
    static let number = "0.13.0"

    /// `0.13.0 (commit 1a2b3c4d5e6f)`, or the number alone.
    static var text: String {
        number + (BuildCommit.hash.map { " (commit \($0))" } ?? "")
    }
}

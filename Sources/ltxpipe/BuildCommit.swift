/// The commit the binary was built from. No build step reads git yet, so this is nil and `--version` prints the
/// release number alone.
enum BuildCommit {
    static let hash: String? = nil
}

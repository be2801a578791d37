import Foundation
import PackagePlugin

/// Writes `BuildCommit.swift` for the `ltxpipe` target before each build: the commit of the package's git checkout
/// (`git rev-parse --short=12 HEAD`), or nil when there is no git or no checkout. The file is rewritten only when
/// the commit changed, so an unchanged checkout recompiles nothing. No network is involved.
@main
struct BuildCommitPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let folder = context.pluginWorkDirectoryURL.appendingPathComponent("generated")
        let file = folder.appendingPathComponent("BuildCommit.swift")
        let script = #"""
        mkdir -p "$2"
        if commit=$(git -C "$1" rev-parse --short=12 HEAD 2>/dev/null) && [ -n "$commit" ]; then value="\"$commit\""; else value=nil; fi
        text="/// The commit the binary was built from (written at build time by BuildCommitPlugin; nil outside a git checkout).
        enum BuildCommit { static let hash: String? = $value }"
        [ "$(cat "$3" 2>/dev/null)" = "$text" ] || printf '%s\n' "$text" > "$3"
        """#
        return [
            .prebuildCommand(
                displayName: "Reading the git commit for ltxpipe --version",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: ["-c", script, "sh", context.package.directoryURL.path, folder.path, file.path],
                outputFilesDirectory: folder
            ),
        ]
    }
}

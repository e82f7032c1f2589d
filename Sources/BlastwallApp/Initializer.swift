import BlastwallCore
import Foundation

/// `blastwall init`: writes a starter `blastwall.yml`, importing services from CODEOWNERS when there is one.
public enum Initializer {
    public static let codeownersLocations = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"]

    /// Writes the file and returns its path; refuses to replace an existing file unless `force`.
    public static func run(repository: String, output: String?, force: Bool) throws(BlastwallError) -> String {
        let target = FileSystem.join(repository, output ?? "blastwall.yml")
        if FileSystem.exists(target) && !force {
            throw .file(path: target, reason: "already exists; pass --force to replace it, or --output to write elsewhere")
        }
        let codeownersPath = codeownersLocations.first { FileSystem.exists(FileSystem.join(repository, $0)) }
        let codeownersText = try codeownersPath.map { (path) throws(BlastwallError) in
            try FileSystem.read(FileSystem.join(repository, path))
        }
        let directories = ((try? FileManager.default.contentsOfDirectory(atPath: repository)) ?? []).filter { name in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: FileSystem.join(repository, name), isDirectory: &isDirectory)
                && isDirectory.boolValue
        }.sorted()
        let text = StarterConfiguration.render(
            codeownersPath: codeownersPath, codeownersText: codeownersText, topLevelDirectories: directories)
        try FileSystem.write(text, to: target)
        return target
    }
}

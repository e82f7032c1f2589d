import BlastwallCore
import Foundation

/// `blastwall init`: writes a starter `blastwall.yml`, importing services from CODEOWNERS when there is one.
public enum Initializer {
    /// What `init` wrote, and what of CODEOWNERS it could not carry over as is.
    public struct Outcome: Sendable {
        public var path: String
        /// The starter policy tests, when `init` wrote them (it keeps a tests file that exists).
        public var testsPath: String?
        public var imported: CodeownersImport?
        public var codeownersPath: String?
    }

    /// Writes the file; refuses to replace an existing file unless `force`.
    public static func run(repository: String, output: String?, force: Bool) throws(BlastwallError) -> Outcome {
        let target = FileSystem.join(repository, output ?? "blastwall.yml")
        if FileSystem.exists(target) && !force {
            throw .file(path: target, reason: "already exists; pass --force to replace it, or --output to write elsewhere")
        }
        let codeownersPath = Codeowners.usualPaths.first { FileSystem.exists(FileSystem.join(repository, $0)) }
        let imported = try codeownersPath.map { (path) throws(BlastwallError) in
            CodeownersImport(
                codeowners: try FileSystem.read(FileSystem.join(repository, path)), path: path, files: files(in: repository))
        }
        let directories = ((try? FileManager.default.contentsOfDirectory(atPath: repository)) ?? []).filter { name in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: FileSystem.join(repository, name), isDirectory: &isDirectory)
                && isDirectory.boolValue
        }.sorted()
        let text = StarterConfiguration.render(codeownersPath: codeownersPath, imported: imported, topLevelDirectories: directories)
        try FileSystem.write(text, to: target)
        let tests = FileSystem.join((target as NSString).deletingLastPathComponent, "blastwall.tests.yml")
        var testsPath: String?
        if !FileSystem.exists(tests) {
            try FileSystem.write(StarterConfiguration.tests, to: tests)
            testsPath = tests
        }
        return Outcome(path: target, testsPath: testsPath, imported: imported, codeownersPath: codeownersPath)
    }

    /// Directories whose files no CODEOWNERS rule is about: git's own, and build and dependency output.
    static let skippedDirectories: Set<String> = [".git", ".build", "node_modules", ".venv", "__pycache__"]

    /// The repository's files, relative to it, to order the imported services by.
    static func files(in repository: String, limit: Int = 500_000) -> [String] {
        var files: [String] = []
        guard let walker = FileManager.default.enumerator(atPath: repository) else { return [] }
        while let relative = walker.nextObject() as? String, files.count < limit {
            let type = walker.fileAttributes?[.type] as? FileAttributeType
            if type == .typeDirectory {
                if skippedDirectories.contains((relative as NSString).lastPathComponent) { walker.skipDescendants() }
            } else {
                files.append(relative)
            }
        }
        return files
    }
}

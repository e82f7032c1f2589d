import BlastwallAnalysis
import Foundation

/// The few file operations the use cases need, with errors that name the file.
enum FileSystem {
    static func read(_ path: String) throws(BlastwallError) -> String {
        let bytes = try readBytes(path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .file(path: path, reason: "is not valid UTF-8 text")
        }
        return text
    }

    static func readBytes(_ path: String) throws(BlastwallError) -> [UInt8] {
        if path == "-" {
            return Array(FileHandle.standardInput.readDataToEndOfFile())
        }
        guard FileManager.default.fileExists(atPath: path) else { throw .file(path: path, reason: "no such file") }
        guard let data = FileManager.default.contents(atPath: path) else { throw .file(path: path, reason: "cannot be read") }
        return Array(data)
    }

    static func exists(_ path: String) -> Bool { LocalFiles.exists(path) }

    static func write(_ text: String, to path: String) throws(BlastwallError) {
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw .file(path: path, reason: "cannot be written: \(error.localizedDescription)")
        }
    }

    /// Writes a secret (a private key) readable by its owner only.
    static func writeSecret(_ text: String, to path: String) throws(BlastwallError) {
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw .file(path: path, reason: "cannot be written: check that its folder exists and is writable")
        }
    }

    static func join(_ directory: String, _ path: String) -> String { LocalFiles.join(directory, path) }

    static var currentDirectory: String { FileManager.default.currentDirectoryPath }
}

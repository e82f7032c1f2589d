import Foundation

/// Reading local files for the analysis, with errors that name the file.
public enum LocalFiles {
    /// The UTF-8 text of a file.
    public static func read(_ path: String) throws(AnalysisError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .file(path: path, reason: exists(path) ? "cannot be read" : "no such file")
        }
        guard let text = String(validating: data, as: UTF8.self) else { throw .file(path: path, reason: "is not valid UTF-8 text") }
        return text
    }

    public static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    /// `path` under `directory`, unless it is absolute.
    public static func join(_ directory: String, _ path: String) -> String {
        if path.hasPrefix("/") { return path }
        return directory.hasSuffix("/") ? directory + path : directory + "/" + path
    }
}

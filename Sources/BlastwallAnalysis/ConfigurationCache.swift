import BlastwallAudit
import BlastwallCore
import Crypto
import Foundation

/// Snapshots of loaded configurations on disk (`ConfigurationSnapshot`), keyed by the text they were loaded
/// from and by the build of blastwall that loaded them: an unchanged `blastwall.yml` is parsed once, not on
/// every run.
///
/// Kept in `$BLASTWALL_CACHE_DIR`, else `$XDG_CACHE_HOME/blastwall`, else `~/.cache/blastwall`; an empty
/// `BLASTWALL_CACHE_DIR` turns it off, and so does `CI` unless the folder is named. A cache that cannot be
/// read or written only costs the parse. Whoever can write the folder can change what `check` reads, as
/// whoever can write the binary can (see docs/configuration.md).
enum ConfigurationCache {
    /// Snapshots beyond this many, the oldest first, are removed when one is added.
    static let capacity = 64

    static let folder: String? = {
        let environment = ProcessInfo.processInfo.environment
        let root: String
        if let chosen = environment["BLASTWALL_CACHE_DIR"] {
            guard !chosen.isEmpty else { return nil }
            root = chosen
        } else if let ci = environment["CI"], !ci.isEmpty, ci != "false" {
            // A CI job starts without a cache, and earlier steps may have run the change's own code.
            return nil
        } else if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            root = xdg + "/blastwall"
        } else if let home = environment["HOME"], !home.isEmpty {
            root = home + "/.cache/blastwall"
        } else {
            return nil
        }
        return root + "/configurations"
    }()

    /// This executable's size and modification time: another build reads nothing this one wrote. Without
    /// them there is no cache, as a snapshot could outlive the loader that made it.
    static let build: String? = {
        var info = stat()
        guard stat("/proc/self/exe", &info) == 0 else { return nil }
        return "\(info.st_size)-\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
    }()

    static func path(for text: String) -> String? {
        guard let folder, let build else { return nil }
        var hasher = SHA256()
        hasher.update(data: Array(build.utf8) + [0])
        hasher.update(data: Array(text.utf8))
        return folder + "/" + Hex.encode(hasher.finalize()) + ".snapshot"
    }

    static func snapshot(at path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map(Array.init)
    }

    /// Writes through a temporary file and a rename, so that a reader never sees half a snapshot.
    static func store(_ bytes: [UInt8], at path: String) {
        guard let folder else { return }
        let manager = FileManager.default
        do {
            // Only this user's: what is in the folder decides what `check` reads.
            try manager.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let temporary = path + ".\(UUID().uuidString).tmp"
            try Data(bytes).write(to: URL(fileURLWithPath: temporary))
            if rename(temporary, path) != 0 { try? manager.removeItem(atPath: temporary) }
            try removeOldest(in: folder)
        } catch {
            // An unwritable cache is no cache.
        }
    }

    private static func removeOldest(in folder: String) throws {
        let manager = FileManager.default
        let names = try manager.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".snapshot") }
        guard names.count > capacity else { return }
        let dated = names.map { name in
            let path = folder + "/" + name
            return (path, (try? manager.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? .distantPast)
        }
        for (path, _) in dated.sorted(by: { $0.1 < $1.1 }).prefix(names.count - capacity) {
            try? manager.removeItem(atPath: path)
        }
    }
}

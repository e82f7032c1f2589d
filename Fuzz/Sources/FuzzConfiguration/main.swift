import BlastwallCore
import Foundation
import FuzzDriver

/// Loads any text as `blastwall.yml` and as a rollout file: a configuration error or a configuration, never a crash.
// Also exported under libFuzzer's name, which its runtime refers to.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzConfiguration(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? ConfigurationLoader.load(yaml: text, file: "blastwall.yml")
    _ = try? RolloutSpecParser.parse(text, file: "rollout.yml")
    return 0
}

exit(runFuzzer(fuzzConfiguration))

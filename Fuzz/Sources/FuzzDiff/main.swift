import BlastwallCore
import Foundation
import FuzzDriver

/// Parses any bytes as a unified diff and as a `git format-patch` series: an error or files, never a crash.
// Also exported under libFuzzer's name, which its runtime refers to.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzDiff(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? UnifiedDiffParser.parse(bytes)
    _ = PatchSeries.commits(in: bytes)
    return 0
}

exit(runFuzzer(fuzzDiff))

import Foundation
import FuzzDriver
import LinearRegex

/// The first line is a pattern, the rest a text: compiling may fail, searching always ends.
// Also exported under libFuzzer's name, which its runtime refers to.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzRegex(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let input = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let parts = input.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
    guard let regex = try? LinearRegex(String(parts[0])) else { return 0 }
    _ = regex.matches(in: parts.count > 1 ? String(parts[1]) : "")
    return 0
}

exit(runFuzzer(fuzzRegex))

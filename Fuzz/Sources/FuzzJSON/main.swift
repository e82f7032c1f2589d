import BlastwallCore
import Foundation
import FuzzDriver

/// Parses any bytes as JSON; what parses serializes to a text that parses back and serializes the same
/// (whole doubles are written as integers, so the values themselves may change type once).
// Also exported under libFuzzer's name, which its runtime refers to.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let value = try? JSONParser.parse(text) else { return 0 }
    let written = value.serialized(pretty: false)
    guard let again = try? JSONParser.parse(written), again.serialized(pretty: false) == written else {
        fatalError("JSON did not survive a round trip: \(text.prefix(200))")
    }
    return 0
}

exit(runFuzzer(fuzzJSON))

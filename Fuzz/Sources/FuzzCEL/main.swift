import CEL
import Foundation
import FuzzDriver

/// Parses, checks and evaluates any text as a CEL expression: it may be refused, never crash, and every
/// evaluation stays within its cost budget.
// Also exported under libFuzzer's name, which its runtime refers to.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzCEL(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let source = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let variables: [String: Value] = [
        "s": .string("payments/api.swift"), "n": .int(7), "xs": .list((0..<50).map { .int(Int64($0)) }),
        "m": .map(MapValue([(.string("a"), .int(1))])),
    ]
    let declarations = Declarations(variables: ["s": .string, "n": .int, "xs": .list(.int), "m": .map(.string, .int)])
    for checked in [nil, declarations] {
        guard let program = try? Program(source, declarations: checked) else { continue }
        _ = try? program.evaluate(Activation(variables), costLimit: 100_000)
    }
    return 0
}

exit(runFuzzer(fuzzCEL))

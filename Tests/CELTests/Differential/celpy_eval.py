"""Evaluates CEL expressions with cel-python (an independent implementation) for the differential test.

Reads a JSON list of expression strings on standard input and writes a JSON list of results:
{"value": TYPED} or {"error": CLASS}, where TYPED is {"type": ..., "value": ...}.
"""
import json
import math
import sys

import celpy
from celpy import celtypes


def typed(value):
    if isinstance(value, celtypes.BoolType) or isinstance(value, bool):
        return {"type": "bool", "value": bool(value)}
    if isinstance(value, celtypes.UintType):
        return {"type": "uint", "value": str(int(value))}
    if isinstance(value, celtypes.IntType) or isinstance(value, int):
        return {"type": "int", "value": str(int(value))}
    if isinstance(value, celtypes.DoubleType) or isinstance(value, float):
        number = float(value)
        if math.isnan(number) or math.isinf(number):
            return {"type": "double", "value": repr(number)}
        return {"type": "double", "value": number}
    if isinstance(value, celtypes.StringType) or isinstance(value, str):
        return {"type": "string", "value": str(value)}
    if isinstance(value, celtypes.BytesType) or isinstance(value, bytes):
        return {"type": "bytes", "value": bytes(value).hex()}
    if value is None or isinstance(value, celtypes.NullType):
        return {"type": "null", "value": None}
    if isinstance(value, (celtypes.ListType, list)):
        return {"type": "list", "value": [typed(item) for item in value]}
    if isinstance(value, (celtypes.MapType, dict)):
        return {"type": "map", "value": [[typed(k), typed(v)] for k, v in value.items()]}
    return {"type": "other", "value": repr(value)}


def error_class(message):
    text = message.lower()
    if "index out of range" in text or "indexerror" in text:
        return "index_out_of_range"
    if "overflow" in text or "range" in text:
        return "overflow"
    if "divide by zero" in text or "division by zero" in text or "modulus" in text:
        return "division_by_zero"
    if "no such member" in text or "no such key" in text or "keyerror" in text:
        return "no_such_key"
    if "no matching overload" in text or "no such overload" in text or "unsupported operand" in text:
        return "no_matching_overload"
    return "other"


def main():
    environment = celpy.Environment()
    results = []
    for source in json.load(sys.stdin):
        try:
            program = environment.program(environment.compile(source))
            value = program.evaluate({})
            if isinstance(value, celpy.CELEvalError):
                results.append({"error": error_class(repr(value.args) + repr(value))})
            else:
                results.append({"value": typed(value)})
        except celpy.CELEvalError as error:
            results.append({"error": error_class(repr(error.args))})
        except Exception as error:  # a parse error or an implementation failure
            results.append({"error": "other", "detail": type(error).__name__ + ": " + str(error)[:200]})
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()

"""Searches with Google's RE2 (the google-re2 package) for the differential test of LinearRegex.

Reads a JSON list of [pattern, text] pairs on standard input and writes a JSON list with, for each,
true or false (whether the pattern matches anywhere in the text) or "error" (RE2 refuses the pattern).
"""
import json
import sys

import re2

options = re2.Options()
options.log_errors = False

results = []
for pattern, text in json.load(sys.stdin):
    try:
        compiled = re2.compile(pattern, options)
    except re2.error:
        results.append("error")
        continue
    results.append(compiled.search(text) is not None)
json.dump(results, sys.stdout)

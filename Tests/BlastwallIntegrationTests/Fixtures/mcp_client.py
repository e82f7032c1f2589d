"""Drives `blastwall mcp` with the real Python MCP client: lists the tools, then makes the calls given as JSON
on standard input ([{"tool": ..., "arguments": {...}}]), and prints one JSON object with the results."""
import asyncio
import json
import sys

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client


async def main():
    calls = json.load(sys.stdin)
    command, arguments, directory = sys.argv[1], sys.argv[2:], None
    if "--cwd" in arguments:
        index = arguments.index("--cwd")
        directory = arguments[index + 1]
        arguments = arguments[:index] + arguments[index + 2:]
    params = StdioServerParameters(command=command, args=arguments, cwd=directory)
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            tools = await session.list_tools()
            results = []
            for call in calls:
                result = await session.call_tool(call["tool"], call.get("arguments", {}))
                results.append({"error": bool(result.is_error), "text": "".join(part.text for part in result.content)})
            print(json.dumps({"tools": sorted(tool.name for tool in tools.tools), "results": results}))


asyncio.run(main())

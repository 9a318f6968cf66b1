"""llama-cpp-python's OpenAI-compatible server, as the loopback tests start it.

``python -m tests.llama_server ARGS`` is ``python -m llama_cpp.server ARGS``, except that the
model loads as the embedded backend loads it on this CPU (``llama_loads_safely_here``): the
server's own load crashes on CPUs with AMX.
"""

import runpy

from summarizer.backends import llama_loads_safely_here

if __name__ == "__main__":
    with llama_loads_safely_here():
        runpy.run_module("llama_cpp.server", run_name="__main__", alter_sys=True)

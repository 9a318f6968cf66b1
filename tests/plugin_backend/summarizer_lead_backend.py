"""A backend with no model: the summary is the article's first sentences, and every list is
empty (the completion rules then read the actors and items from the article's words)."""

from __future__ import annotations

import json
import re
from typing import Any

from openai.types.chat import ChatCompletion

from summarizer.backends import Backend

_NUMBERED = re.compile(r"^\[(\d+)\] (.+)$", re.MULTILINE)


class LeadBackend(Backend):
    name = "lead"

    def __init__(self, sentences: int) -> None:
        self.model = f"lead-{sentences}"
        self.sentences = sentences

    def create(self, **kwargs: Any) -> ChatCompletion:
        schema = kwargs["response_format"]["json_schema"]["schema"]
        article = kwargs["messages"][-1]["content"]
        lead = " ".join(text for _, text in _NUMBERED.findall(article)[: self.sentences])
        answer = {key: [] for key in schema["properties"]}
        if "summary" in answer:
            answer["summary"] = lead[: schema["properties"]["summary"].get("maxLength", len(lead))]
        return ChatCompletion.model_validate({
            "id": "lead", "object": "chat.completion", "created": 0, "model": self.model,
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": json.dumps(answer)}}],
            "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
        })


def lead(sentences: int = 1) -> LeadBackend:
    """The article's first sentences as its summary, without a model (a plugin example)."""
    return LeadBackend(sentences)

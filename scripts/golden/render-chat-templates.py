#!/usr/bin/env python3
"""Renders the reference chat templates (Tests/Fixtures/chat/*.jinja, copied from llama.cpp's
models/templates) with jinja2 for one system + user conversation, and writes the rendered prompts
to Tests/Fixtures/chat/rendered.json, which ChatTemplateTests compare Assay's renderings with.

BOS is rendered as the empty string: the tokenizer adds it, so Assay's prompts leave it out.
Templates that reject a system role (Gemma 2) are also rendered with the system text merged into
the user turn, as Gemma 3's template does ("system\n\nuser"). No strftime_now is defined, so the
Llama 3.2 template uses its own fixed date. Run from the repository root: python3 scripts/golden/render-chat-templates.py
"""
import json
import pathlib

import jinja2

FOLDER = pathlib.Path("Tests/Fixtures/chat")
SYSTEM = "You are a financial analyst. Answer in one word."
USER = "Is a 14% rise in revenue good news?"
FAMILIES = {
    "meta-llama-Llama-3.2-3B-Instruct.jinja": ("llama3", "<|eot_id|>"),
    "Qwen-Qwen2.5-7B-Instruct.jinja": ("chatml", "<|im_end|>"),
    "microsoft-Phi-3.5-mini-instruct.jinja": ("phi3", "<|endoftext|>"),
    "google-gemma-2-2b-it.jinja": ("gemma", "<eos>"),
    "mistralai-Mistral-Nemo-Instruct-2407.jinja": ("mistral", "</s>"),
}


def raise_exception(message):
    raise ValueError(message)


def render(source, eos, messages):
    environment = jinja2.Environment(trim_blocks=True, lstrip_blocks=True)
    environment.globals["raise_exception"] = raise_exception
    template = environment.from_string(source)
    return template.render(messages=messages, add_generation_prompt=True, bos_token="", eos_token=eos)


cases = []
for name, (family, eos) in FAMILIES.items():
    source = (FOLDER / name).read_text()
    user_only = render(source, eos, [{"role": "user", "content": USER}])
    try:
        with_system = render(source, eos, [{"role": "system", "content": SYSTEM}, {"role": "user", "content": USER}])
        system_note = "rendered with a system message"
    except ValueError:
        with_system = render(source, eos, [{"role": "user", "content": SYSTEM + "\n\n" + USER}])
        system_note = "the template rejects a system role; system text merged into the user turn"
    cases.append({"template": name, "family": family, "system": SYSTEM, "user": USER,
                  "user_only": user_only, "system_and_user": with_system, "system_note": system_note})

(FOLDER / "rendered.json").write_text(json.dumps({"jinja2": jinja2.__version__, "cases": cases}, indent=2,
                                                  ensure_ascii=False) + "\n")
print("\n\n".join(f"== {c['family']}\n{c['system_and_user']!r}" for c in cases))

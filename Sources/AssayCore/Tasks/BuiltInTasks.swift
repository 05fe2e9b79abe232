/// The task files built into Assay, kept identical to their copies under `samples/` (a test checks).
enum BuiltInTasks {
    static let sentimentYAML = """
        # The case study's sentiment task (Optimizing LLMs for energy, section IV): its Figure 2 prompt and
        # its Table II hyperparameters per model family. This is also Assay's built-in default task.
        name: financial-sentiment
        labels: [positive, negative, neutral]

        prompt:
          user: |-
            Sentiment Assessment Instructions
            Instructions: Assess the sentiment of the given text by identifying the presence of sentiment indicators such as emotional language, positive or negative expressions, and tone shifts. Mark the sentiment as positive, negative, or neutral and provide reasoning.
            Text: {text}
            Sentiment Indicators Checklist:
            Emotional Language: Words that convey strong feelings (e.g., joy, anger, sadness, excitement).
            Positive Expressions: Words or phrases that promote positive feelings or optimism.
            Negative Expressions: Words or phrases that express criticism or negativity.
            Tone Shifts: Noticeable changes in tone that affect how the content is perceived.
            Balanced or Neutral Tone: The absence of strong emotional language, implying neutrality.
            Response Format: Positive/Negative/Neutral [Reasoning]

        parsing:
          synonyms:
            positive: [bullish, optimistic, favorable, favourable, upbeat]
            negative: [bearish, pessimistic, unfavorable, unfavourable]
            neutral: [no sentiment, neither positive nor negative]
          reasoning: after_label

        # Models that match no family below: greedy decoding with 96 new tokens, the settings of the
        # llama.cpp reference run on SmolLM2-135M that the engine is checked against (Tests/Fixtures/golden).
        hyperparameters:
          batch_size: 8
          max_tokens: 96
          temperature: 0
          top_p: 1
          top_k: 0
          beam_width: 1
          seed: 42
          context_length: 2048

        # Table II of the case study. A family applies when the model's name or reference contains one of
        # its match strings (case-insensitive); its values override the defaults above.
        families:
          - family: Llama-3.2-1B
            match: [llama3.2, llama-3.2]
            hyperparameters: {batch_size: 8, max_tokens: 512, temperature: 0.7, top_p: 0.9, top_k: 50, beam_width: 4}
          - family: Phi-3-mini
            match: [phi3, phi-3]
            hyperparameters: {batch_size: 8, max_tokens: 512, temperature: 0.7, top_p: 0.9, top_k: 50, beam_width: 4}
          - family: Qwen2-7B
            match: [qwen2, qwen-2]
            hyperparameters: {batch_size: 8, max_tokens: 512, temperature: 0.8, top_p: 0.85, top_k: 40, beam_width: 4}
          - family: Mistral-7B
            match: [mistral]
            hyperparameters: {batch_size: 16, max_tokens: 256, temperature: 0.9, top_p: 0.95, top_k: 30, beam_width: 2}
          - family: LLaVA-Llama3
            match: [llava]
            hyperparameters: {batch_size: 8, max_tokens: 512, temperature: 0.7, top_p: 0.9, top_k: 50, beam_width: 4}

        # --mode score: the log-probability of each label's continuation after "Sentiment:", divided by
        # the same probabilities for content-free inputs (contextual calibration).
        score:
          assistant_prefix: "Sentiment:"
          continuations: {positive: " Positive", negative: " Negative", neutral: " Neutral"}
          content_free_inputs: ["N/A", "", "[MASK]"]
          calibrate: true
        """
}

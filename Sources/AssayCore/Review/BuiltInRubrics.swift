/// The rubrics built into Assay, kept identical to their copies under `rubrics/` (a test checks):
/// `assay review` works in any folder without a rubric file.
enum BuiltInRubrics {
    static let sentimentReviewYAML = """
        # The default rubric for expert review of sentiment predictions, after the case study's three
        # criteria (section IV): consistency, clarity and alignment. Scores are stored with this version:
        # change the version whenever a description changes meaning.
        name: sentiment-review
        version: "1"
        description: >-
          Score each prediction on three 1-5 scales, in this order. Type the three values, then an
          optional comment, e.g. "4 5 3 reasoning repeats itself".
        criteria:
          - name: consistency
            question: Does the predicted label agree with the ground-truth label?
            levels:
              1: Contradicts the gold label (e.g. positive for a clearly negative text).
              2: Disagrees with the gold label, though the text gives some support for the prediction.
              3: Borderline; the text is ambiguous and both labels are defensible.
              4: Agrees with the gold label, but hedges or names a second label.
              5: Agrees with the gold label without hedging.
          - name: clarity
            question: Is the reasoning logical and easy to interpret?
            levels:
              1: No reasoning, or unreadable (garbled, truncated, off-topic).
              2: Hard to follow; key steps missing or contradictory.
              3: Understandable but vague or repetitive.
              4: Clear and logical, with minor gaps.
              5: Clear, concise and logical; cites the words that matter.
          - name: alignment
            question: Does the reasoning support the predicted label?
            levels:
              1: The reasoning argues for a different label.
              2: The reasoning mostly supports another label.
              3: The reasoning is neutral or unrelated to the label.
              4: The reasoning supports the label with a weak link.
              5: The reasoning directly justifies the predicted label.
        """
}

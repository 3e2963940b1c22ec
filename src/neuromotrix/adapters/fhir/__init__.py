"""FHIR R4 at the edge (docs/fhir.md): our records leave as a Bundle and questionnaire answers come back in.

FHIR is an exchange format, not our model: `bundle.py` maps plain records (`sources.py`) to resources,
`questionnaires.py` maps an instrument of the registry to a Questionnaire, `responses.py` reads
QuestionnaireResponses back into answers. Every resource goes through the `fhir.resources` R4B models, which are
imported inside the functions that need them (about 0.3 s at first import): the server and the CLI start
without them.
"""

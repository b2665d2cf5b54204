"""The shared vocabulary: typed problem and solution objects, validation and pure domain rules."""

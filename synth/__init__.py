"""synth: papers -> passages -> sentences -> claims -> evidence -> verdicts."""

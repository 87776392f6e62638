"""replicate: study spec -> runs -> results -> claim checks -> robustness analysis."""

"""Writers: each lays out the format-neutral Document; none computes a figure."""

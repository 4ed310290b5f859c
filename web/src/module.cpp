// placeholder so the module library has a source; replaced by the module itself.

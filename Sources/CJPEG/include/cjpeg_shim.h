int cjpeg_placeholder(void);

mod browser;
mod theme;

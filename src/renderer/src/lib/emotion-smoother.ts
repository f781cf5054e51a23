// The smoother lives in src/shared because main smooths the logged labels with the same maths.
export * from '../../../shared/emotion-smoother'

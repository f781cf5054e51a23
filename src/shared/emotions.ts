/** The seven FER2013 classes, in the dataset's folder (alphabetical) order, which is every shipped model's output order. */
export const EMOTIONS = ['angry', 'disgust', 'fear', 'happy', 'neutral', 'sad', 'surprise'] as const

/** One of the seven FER2013 emotion labels. */
export type Emotion = (typeof EMOTIONS)[number]

/** A colour per emotion, used by the overlay and the charts so the same emotion always looks the same. */
export const EMOTION_COLORS: Record<Emotion, string> = {
  angry: '#e5484d',
  disgust: '#30a46c',
  fear: '#8e4ec6',
  happy: '#f5d90a',
  neutral: '#9ba1a6',
  sad: '#3e63dd',
  surprise: '#f76b15'
}
